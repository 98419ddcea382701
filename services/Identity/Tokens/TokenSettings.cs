namespace ParPlatform.Identity.Tokens;

/// <summary>
/// The <c>Identity</c> configuration section. The issuer is a fixed name, not the host a request arrived on, so a
/// token fetched through the gateway and one fetched directly carry the same <c>iss</c>.
/// </summary>
public sealed record TokenSettings
{
    public const string DefaultAudience = "par-api";

    public Uri Issuer { get; init; } = new("http://identity/api/identity/");
    public string Audience { get; init; } = DefaultAudience;
    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a signing key signs before a new one takes over; the previous one stays published.</summary>
    public TimeSpan SigningKeyLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a new key is published before it signs: longer than verifiers cache the JWKS (the gateway
    /// refreshes hourly), so none of them meets a token signed by a key it has not seen.
    /// </summary>
    public TimeSpan SigningKeyPublicationLead { get; init; } = TimeSpan.FromHours(2);

    public int LockoutAttempts { get; init; } = 5;

    /// <summary>The first lockout's length; each further failure doubles it, up to <see cref="MaxLockoutDuration"/>.</summary>
    public TimeSpan LockoutDuration { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan MaxLockoutDuration { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// The gateway's public base address (e.g. https://cchc.example.gov.vn/): discovery advertises its endpoints under
    /// it instead of the address a request reached this service on. Unset: the request's own address.
    /// </summary>
    public Uri? PublicBaseUrl { get; init; }

    public TimeSpan RefreshTokenLifetime { get; init; } = TimeSpan.FromHours(8);

    /// <summary>
    /// Access tokens of browser sign-ins (authorization code flow) are short: the app refreshes them, and a refresh
    /// is refused for a disabled account, so a disabled person loses access within this time.
    /// </summary>
    public TimeSpan BrowserAccessTokenLifetime { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Browser apps (public clients, PKCE) and the addresses they may be sent back to.</summary>
    public List<BrowserClient> BrowserClients { get; init; } = [];

    public static TokenSettings From(IConfiguration configuration) =>
        configuration.GetSection("Identity").Get<TokenSettings>() ?? new TokenSettings();
}

public sealed class BrowserClient
{
    public string ClientId { get; set; } = "";
    public List<string> RedirectUris { get; set; } = [];
    public List<string> PostLogoutRedirectUris { get; set; } = [];
}
