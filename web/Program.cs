using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Localization;
using Microsoft.FluentUI.AspNetCore.Components;
using ParPlatform.Web.Components;
using ParPlatform.Web.Platform;
using ParPlatform.Web.SignIn;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddConsoleSignIn();
PlatformApi.Register(builder.Services);
// The scorecard carries what its first render read into the circuit (persisted component state), so the circuit
// does not ask four services again. The browser sends that state back in the circuit's first message: a 100-item
// assessment is some tens of KB, over SignalR's 32 KB default; 1 MB leaves room for several hundred items.
builder.Services.AddRazorComponents().AddInteractiveServerComponents()
    .AddHubOptions(options => options.MaximumReceiveMessageSize = 1024 * 1024);
builder.Services.AddFluentUIComponents();
// Vietnamese text as UTF-8 in the page rather than a numeric entity per letter (the encoder still escapes markup).
builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(options =>
    options.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));

var app = builder.Build();
// The console is reached only through the gateway (in Kubernetes its NetworkPolicy admits only the gateway): the
// gateway's X-Forwarded-Host/Proto are the address the browser used, for redirects and the Secure cookie flag.
var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost };
forwarded.KnownIPNetworks.Clear();
forwarded.KnownProxies.Clear();
app.UseForwardedHeaders(forwarded);
app.UseConsoleSecurityHeaders();
app.MapDefaultEndpoints();
app.UseRequestLocalization(options =>
{
    options.SetDefaultCulture(Ui.Vietnamese.Name).AddSupportedCultures(Ui.Cultures).AddSupportedUICultures(Ui.Cultures);
    // Only the user's own choice (the language switch's cookie) changes it, not the browser's Accept-Language:
    // a Vietnamese official on an English browser still gets Vietnamese.
    options.RequestCultureProviders = [new CookieRequestCultureProvider()];
});
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapConsoleSignIn();
app.MapConsoleEndpoints();
// Every page needs a signed-in user unless it says [AllowAnonymous] (the error and not-found pages).
app.MapRazorComponents<App>().AddInteractiveServerRenderMode().RequireAuthorization();
app.Run();

public partial class Program;
