using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using ParPlatform.Contracts;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.Gateway.Security;

/// <summary>Who may come in: verified JWTs, public paths, per-client rate limits and CORS.</summary>
internal static class AccessExtensions
{
    private const string CorsPolicy = "web";

    public static void AddGatewayAccess(this IHostApplicationBuilder builder, GatewaySettings settings)
    {
        // The issuer's metadata and keys: the platform's identity service through service discovery by default, or
        // any OIDC issuer (a province's single sign-on) by setting Identity:Authority and Identity:Audience.
        builder.Services.AddAuthentication(PlatformJwt.Scheme).AddPlatformJwtBearer(builder.Configuration, options =>
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    if (context.HttpContext.RequestServices.GetService<DisabledAccounts>() is { } disabled
                        && disabled.IsDisabled(context.Principal?.FindFirst(PlatformClaims.Subject)?.Value))
                    {
                        context.Fail("The account is disabled.");
                    }
                    return Task.CompletedTask;
                },
                OnChallenge = context =>
                {
                    AccessLog.Unauthenticated(AccessLog.For(context.HttpContext), context.Request.Method, context.Request.Path,
                        context.HttpContext.Connection.RemoteIpAddress?.ToString(), context.AuthenticateFailure?.GetType().Name ?? "no token");
                    return Task.CompletedTask;
                },
            });

        if (builder.Configuration["Identity:Authority"] is null)
        {
            builder.Services.AddHttpClient(DisabledAccounts.Client);
            builder.Services.AddSingleton<DisabledAccounts>();
            builder.Services.AddHostedService(services => services.GetRequiredService<DisabledAccounts>());
        }

        // Every endpoint without its own policy (all proxied routes, health) needs a verified token unless public.
        var publicPaths = new PublicPaths(settings.PublicPaths);
        builder.Services.AddSingleton(publicPaths);
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, GrpcAwareAuthorizationResultHandler>();
        builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder()
            .RequireAssertion(context =>
                context.User.Identity?.IsAuthenticated == true ||
                (context.Resource is HttpContext http && publicPaths.Matches(http.Request.Path)))
            .Build());

        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsProbe(context.Request.Path)
                    ? RateLimitPartition.GetNoLimiter("probe")
                    : RateLimitPartition.GetFixedWindowLimiter(ClientKey(context), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = settings.RateLimit.PermitLimit,
                        Window = settings.RateLimit.Window,
                        QueueLimit = 0,
                    }));
            options.OnRejected = (context, _) =>
            {
                AccessLog.RateLimited(AccessLog.For(context.HttpContext), context.HttpContext.Request.Method,
                    context.HttpContext.Request.Path, ClientKey(context.HttpContext));
                return GatewayProblems.WriteAsync(context.HttpContext,
                    GatewayProblems.RateLimited.With("Too many requests from this client; retry later."), retryAfter: settings.RateLimit.Window);
            };
        });

        builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins(settings.CorsOrigins)
            .AllowAnyMethod()
            .WithHeaders("Authorization", "Content-Type", "X-Correlation-Id", "Idempotency-Key")
            .WithExposedHeaders("X-Correlation-Id", "Retry-After", "Location")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
    }

    /// <summary>CORS, then authentication, then the rate limit (keyed by who the token says), then authorization.</summary>
    public static void UseGatewayAccess(this WebApplication app)
    {
        app.UseCors(CorsPolicy);
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
    }

    /// <summary>Probes, and the web console's pages and assets: a provincial office behind one address loads dozens of
    /// assets per official at 8 a.m.; the console's own calls to the services come back through here under each
    /// user's token and are limited per user like any other client's.</summary>
    private static bool IsProbe(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/alive")
        || !(path.StartsWithSegments("/api") || IsGrpcPath(path));

    /// <summary>gRPC methods are <c>/package.Service/Method</c>: a first segment with a dot.</summary>
    private static bool IsGrpcPath(PathString path) => path.Value is { Length: > 1 } value && value.IndexOf('/', 1) is var end and > 0 && value.AsSpan(1, end - 1).Contains('.');

    private static string ClientKey(HttpContext context) =>
        context.User.FindFirst(PlatformClaims.Subject)?.Value is { } subject
            ? $"sub:{subject}"
            : $"ip:{context.Connection.RemoteIpAddress}";
}
