using ParPlatform.Survey;
using ParPlatform.Survey.Apis;
using ParPlatform.Survey.Grpc;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapSurveyApi();
app.MapGrpcService<SurveyGrpcService>();
app.Run();

public partial class Program;
