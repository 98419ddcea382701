using System.Security.Claims;
using System.Threading.RateLimiting;
using ParPlatform.ServiceDefaults.Identity;

namespace ParPlatform.Gateway.Security;

/// <summary>
/// Which rate-limit partition a request counts against, and how big it is (see <see cref="RateLimit"/>): a survey
/// partner's machine submitting single responses gets its role's quota, a person the default, an anonymous caller
/// the small quota of its remote address. Runs on every request after authentication, so it reads the claims the
/// JWT handler has already validated and allocates nothing of its own: the partition key is a struct holding the
/// token's subject string or the connection's address object, and the limiter factory is one cached delegate.
/// </summary>
public sealed class ClientQuotas
{
    /// <summary>The claim a token names its OAuth client in (RFC 9068); machine tokens' <c>sub</c> is the same id.</summary>
    public const string ClientIdClaim = "client_id";

    private static readonly Partition Unlimited = new(new object(), 0);

    private readonly Dictionary<string, int> _roles;
    private readonly Dictionary<string, int> _clients;
    private readonly int _authenticated;
    private readonly int _anonymous;
    private readonly Func<Partition, RateLimiter> _fixedWindow;

    public ClientQuotas(RateLimit settings)
    {
        _roles = new(settings.Quotas.Roles, StringComparer.OrdinalIgnoreCase);
        _clients = new(settings.Quotas.Clients, StringComparer.OrdinalIgnoreCase);
        _authenticated = settings.PermitLimit;
        _anonymous = settings.AnonymousPermitLimit;
        if (settings.EveryClient is { } everyone)
        {
            _authenticated = _anonymous = everyone;
            foreach (var key in _roles.Keys) { _roles[key] = everyone; }
            foreach (var key in _clients.Keys) { _clients[key] = everyone; }
        }
        Window = settings.Window;
        _fixedWindow = partition => new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = partition.PermitLimit,
            Window = Window,
            QueueLimit = 0,
        });
    }

    public TimeSpan Window { get; }

    /// <summary>The partition of this request: none for probes and the console's pages, else the caller's.</summary>
    public RateLimitPartition<Partition> For(HttpContext context) =>
        IsUnlimited(context.Request.Path)
            ? RateLimitPartition.GetNoLimiter(Unlimited)
            : RateLimitPartition.Get(ClientOf(context), _fixedWindow);

    /// <summary>Who is counted and against how many requests per window.</summary>
    public Partition ClientOf(HttpContext context)
    {
        if (context.User.Identity is not ClaimsIdentity { IsAuthenticated: true } identity)
        {
            return new(context.Connection.RemoteIpAddress, _anonymous);
        }

        // One pass over the validated claims (sub, role and client_id are all the quota needs).
        string? subject = null, clientId = null;
        var roleQuota = -1;
        foreach (var claim in identity.Claims)
        {
            switch (claim.Type)
            {
                case PlatformClaims.Subject:
                    subject = claim.Value;
                    break;
                case ClientIdClaim:
                    clientId = claim.Value;
                    break;
                case PlatformClaims.Role when _roles.TryGetValue(claim.Value, out var quota) && quota > roleQuota:
                    roleQuota = quota;
                    break;
            }
        }
        if (subject is null)
        {
            return new(context.Connection.RemoteIpAddress, _anonymous);
        }
        var limit = _clients.Count > 0 && _clients.TryGetValue(clientId ?? subject, out var own) ? own
            : roleQuota >= 0 ? roleQuota
            : _authenticated;
        return new(subject, limit);
    }

    /// <summary>Probes, and the web console's pages and assets: a provincial office behind one address loads dozens of
    /// assets per official at 8 a.m.; the console's own calls to the services come back through here under each
    /// user's token and are limited per user like any other client's.</summary>
    private static bool IsUnlimited(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/alive")
        || !(path.StartsWithSegments("/api") || IsGrpcPath(path));

    /// <summary>gRPC methods are <c>/package.Service/Method</c>: a first segment with a dot.</summary>
    private static bool IsGrpcPath(PathString path) => path.Value is { Length: > 1 } value && value.IndexOf('/', 1) is var end and > 0 && value.AsSpan(1, end - 1).Contains('.');

    /// <summary>A rate-limit partition: a token subject (string) or a remote address (<see cref="System.Net.IPAddress"/>,
    /// never equal to a string), with the limit it was given. Compared by value, so building one allocates nothing.</summary>
    public readonly record struct Partition(object? Client, int PermitLimit)
    {
        /// <summary>For the access log, only when a request is refused.</summary>
        public string Describe() => Client switch
        {
            string subject => $"sub:{subject} (quota {PermitLimit})",
            var address => $"ip:{address} (quota {PermitLimit})",
        };
    }
}
