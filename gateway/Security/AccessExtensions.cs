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

        var quotas = new ClientQuotas(settings.RateLimit);
        builder.Services.AddSingleton(quotas);
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, ClientQuotas.Partition>(quotas.For);
            options.OnRejected = (context, _) =>
            {
                var http = context.HttpContext;
                AccessLog.RateLimited(AccessLog.For(http), http.Request.Method, http.Request.Path, quotas.ClientOf(http).Describe());
                // The limiter knows when the window reopens (a fixed window says its length); the window if it does not.
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : quotas.Window;
                return GatewayProblems.WriteAsync(http,
                    GatewayProblems.RateLimited.With("Too many requests from this client; retry later."),
                    retryAfter: retryAfter < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retryAfter);
            };
        });

        builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins(settings.CorsOrigins)
            .AllowAnyMethod()
            .WithHeaders("Authorization", "Content-Type", "X-Correlation-Id", "Idempotency-Key")
            .WithExposedHeaders("X-Correlation-Id", "Retry-After", "Location")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
    }

    /// <summary>CORS, then authentication, then the rate limit (keyed by who the token says: the quota needs the
    /// validated role and subject, so it must come after authentication), then authorization.</summary>
    public static void UseGatewayAccess(this WebApplication app)
    {
        app.UseCors(CorsPolicy);
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
    }
}
