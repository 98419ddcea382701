using ParPlatform.Ranking;
using ParPlatform.Ranking.Apis;
using ParPlatform.Ranking.Grpc;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapRankingApi();
app.MapGrpcService<RankingGrpcService>();
app.Run();

public partial class Program;
