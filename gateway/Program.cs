using ParPlatform.Gateway;
using ParPlatform.Gateway.Edge;
using ParPlatform.Gateway.Routing;
using ParPlatform.Gateway.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
var settings = builder.AddGatewayServices();

var app = builder.Build();
app.UseCorrelationAndSecurityHeaders();
app.MapDefaultEndpoints();
app.UseRequestHygiene(settings);
app.UseGatewayAccess();
app.MapGatewayIndex();
app.MapReverseProxy();
app.Run();

public partial class Program;
