namespace ParPlatform.Gateway;

/// <summary>The <c>Gateway</c> configuration section: what is public, how big and how often.</summary>
public sealed record GatewaySettings
{
    /// <summary>
    /// Paths reachable without a token. A pattern matches a path that starts with its segments; <c>*</c> stands
    /// for any one segment, e.g. <c>/api/*/info</c> or <c>/*/GetServiceInfo</c> (gRPC).
    /// </summary>
    public string[] PublicPaths { get; init; } = [];

    /// <summary>Largest request body anywhere unless a <see cref="RequestBodyLimits"/> prefix says otherwise.</summary>
    public long MaxRequestBodySize { get; init; } = 1024 * 1024;

    public BodyLimit[] RequestBodyLimits { get; init; } = [];

    /// <summary>Browser origins of the web UI allowed to call the API (CORS).</summary>
    public string[] CorsOrigins { get; init; } = [];

    public RateLimit RateLimit { get; init; } = new();

    public static GatewaySettings From(IConfiguration configuration) =>
        configuration.GetSection("Gateway").Get<GatewaySettings>() ?? new GatewaySettings();

    public long BodyLimitFor(PathString path) =>
        RequestBodyLimits.FirstOrDefault(limit => path.StartsWithSegments(limit.PathPrefix, StringComparison.OrdinalIgnoreCase))?.MaxBytes
        ?? MaxRequestBodySize;
}

public sealed record BodyLimit(string PathPrefix, long MaxBytes);

/// <summary>
/// Requests per <see cref="Window"/> per client: each token subject (a person, or a machine client's id) has its own
/// count, and each remote address calling without a valid token has one. How many: the client's quota in
/// <see cref="Quotas"/> if it has one, else its role's, else <see cref="PermitLimit"/>; anonymous callers
/// <see cref="AnonymousPermitLimit"/>.
/// </summary>
public sealed record RateLimit
{
    /// <summary>Each authenticated client without a quota of its own or of its role.</summary>
    public int PermitLimit { get; init; } = 100;

    /// <summary>Each remote address without a valid token (sign-in, info and OpenAPI documents, refused tokens).</summary>
    public int AnonymousPermitLimit { get; init; } = 20;

    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(1);

    public Quotas Quotas { get; init; } = new();

    /// <summary>When set, every client's limit whatever its quota: benchmarks and whole-platform test runs raise it
    /// (the AppHost's <c>--gateway-rate-limit</c>).</summary>
    public int? EveryClient { get; init; }
}

/// <summary>Requests per window by role (the token's <c>role</c>) and by client (its <c>client_id</c>, else its
/// <c>sub</c>: a machine client's id either way); a client's own quota wins over its role's.</summary>
public sealed record Quotas
{
    public Dictionary<string, int> Roles { get; init; } = [];
    public Dictionary<string, int> Clients { get; init; } = [];
}
