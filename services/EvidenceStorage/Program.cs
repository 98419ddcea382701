using ParPlatform.EvidenceStorage;
using ParPlatform.EvidenceStorage.Apis;
using ParPlatform.EvidenceStorage.Grpc;
using ParPlatform.EvidenceStorage.Uploads;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Use(RefusedBodies.DrainOnRefusalAsync);
app.MapEvidenceStorageApi();
app.MapGrpcService<EvidenceGrpcService>();
app.Run();

public partial class Program;
