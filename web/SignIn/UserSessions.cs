using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace ParPlatform.Web.SignIn;

/// <summary>
/// The server side of a console session (backend-for-frontend): the user's access and refresh tokens stay here, the
/// browser gets only an HttpOnly cookie naming the session. Access tokens for browser sign-ins live a minute
/// (Identity:BrowserAccessTokenLifetime), so they are refreshed here, one refresh at a time per session: refresh tokens
/// rotate, and using a spent one would revoke the whole sign-in.
/// </summary>
/// <remarks>Held in memory: a restart, or a second console replica without sticky sessions, asks the user to sign in
/// again (the identity service's sign-in is short: its session cookie is not kept either).</remarks>
public sealed class UserSessions(IHttpClientFactory httpClients, TimeProvider clock, ILogger<UserSessions> logger)
{
    public const string IdentityClient = "identity";
    public const string ClientId = "par-web";
    private static readonly TimeSpan RefreshAhead = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan IdleLimit = TimeSpan.FromHours(8);
    private readonly ConcurrentDictionary<string, Session> _sessions = new();

    public string Start(string accessToken, string? refreshToken, string? idToken, int expiresInSeconds)
    {
        var now = clock.GetUtcNow();
        foreach (var (key, stale) in _sessions.Where(pair => now - pair.Value.LastUsed > IdleLimit).ToList())
        {
            _sessions.TryRemove(key, out _);
        }
        var id = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        _sessions[id] = new Session(accessToken, now.AddSeconds(expiresInSeconds), refreshToken, idToken) { LastUsed = now };
        return id;
    }

    public bool IsActive(string? sessionId) => sessionId is not null && _sessions.ContainsKey(sessionId);

    /// <summary>Ends the session here; returns its id token (the hint the identity service's sign-out needs).</summary>
    public string? End(string? sessionId) =>
        sessionId is not null && _sessions.TryRemove(sessionId, out var session) ? session.IdToken : null;

    /// <summary>A valid access token for the session, refreshed when it is about to expire; null when the session
    /// has ended (signed out, disabled account, refresh refused): the user must sign in again.</summary>
    public async Task<string?> AccessTokenAsync(string? sessionId, CancellationToken cancellationToken)
    {
        if (sessionId is null || !_sessions.TryGetValue(sessionId, out var session))
        {
            return null;
        }
        session.LastUsed = clock.GetUtcNow();
        if (session.AccessExpiresAt - clock.GetUtcNow() > RefreshAhead)
        {
            return session.AccessToken;
        }
        await session.Refreshing.WaitAsync(cancellationToken);
        try
        {
            if (session.AccessExpiresAt - clock.GetUtcNow() > RefreshAhead)
            {
                return session.AccessToken; // another request refreshed it while this one waited
            }
            if (session.RefreshToken is null)
            {
                End(sessionId);
                return null;
            }
            using var response = await httpClients.CreateClient(IdentityClient).PostAsync("api/identity/connect/token",
                new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "refresh_token", ["refresh_token"] = session.RefreshToken, ["client_id"] = ClientId,
                }), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogInformation("A console session ended: the identity service refused its refresh token ({Status}).", (int)response.StatusCode);
                End(sessionId);
                return null;
            }
            var tokens = (await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken))!;
            session.AccessToken = tokens.AccessToken;
            session.AccessExpiresAt = clock.GetUtcNow().AddSeconds(tokens.ExpiresIn);
            session.RefreshToken = tokens.RefreshToken ?? session.RefreshToken;
            return session.AccessToken;
        }
        finally
        {
            session.Refreshing.Release();
        }
    }

    private sealed class Session(string accessToken, DateTimeOffset accessExpiresAt, string? refreshToken, string? idToken)
    {
        public string AccessToken { get; set; } = accessToken;
        public DateTimeOffset AccessExpiresAt { get; set; } = accessExpiresAt;
        public string? RefreshToken { get; set; } = refreshToken;
        public string? IdToken { get; } = idToken;
        public DateTimeOffset LastUsed { get; set; }
        public SemaphoreSlim Refreshing { get; } = new(1, 1);
    }

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
