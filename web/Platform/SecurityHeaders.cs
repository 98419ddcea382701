namespace ParPlatform.Web.Platform;

internal static class SecurityHeaders
{
    /// <summary>
    /// Nothing from elsewhere: scripts, styles, fonts, images, frames and connections only from the console's own
    /// origin (provincial networks are often closed, and a page that loads nothing foreign leaks nothing).
    /// Inline styles are allowed because Fluent UI's components set style attributes; inline scripts are not.
    /// Frames of the same origin are allowed for the evidence viewer (a PDF opened in the page).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'self'; frame-ancestors 'self'; " +
        "base-uri 'self'; form-action 'self'";

    public static void UseConsoleSecurityHeaders(this WebApplication app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XFrameOptions = "SAMEORIGIN"; // the gateway keeps DENY for everything else
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
                if (!headers.ContainsKey("Cache-Control") && context.Response.ContentType?.StartsWith("text/html", StringComparison.Ordinal) == true)
                {
                    headers.CacheControl = "no-store"; // pages carry the user's data
                }
                return Task.CompletedTask;
            });
            return next(context);
        });
}
