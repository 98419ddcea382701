using ParPlatform.Submission;
using ParPlatform.Submission.Apis;
using ParPlatform.Submission.Grpc;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapSubmissionApi();
app.MapGrpcService<SubmissionGrpcService>();
app.Run();

public partial class Program;
