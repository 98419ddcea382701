using ParPlatform.Identity;
using ParPlatform.Identity.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapIdentityApi();
app.Run();

public partial class Program;
