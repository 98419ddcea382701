using ParPlatform.EvidenceStorage;
using ParPlatform.EvidenceStorage.Apis;
using ParPlatform.EvidenceStorage.Grpc;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapEvidenceStorageApi();
app.MapGrpcService<EvidenceGrpcService>();
app.Run();

public partial class Program;
