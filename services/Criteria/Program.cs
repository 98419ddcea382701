using ParPlatform.Criteria;
using ParPlatform.Criteria.Apis;
using ParPlatform.Criteria.Grpc;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapCriteriaApi();
app.MapGrpcService<CriteriaGrpcService>();
app.Run();

public partial class Program;
