using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ParPlatform.ServiceDefaults.Identity;

/// <summary>
/// Remembers, for a short while, access tokens that have already passed full validation (signature, issuer,
/// audience, lifetime), so a client sending the same token many times a second pays for the RSA verification once.
/// Measured here: validation was the largest single cost of an authenticated call through the gateway (which
/// validates, and then the service validates the same token again).
/// Only the exact token string hits the cache, so anything altered, expired or signed by another key is validated
/// in full and refused as before. An entry lives until the token expires and at most <see cref="Lifetime"/>: a key
/// withdrawn from the issuer's JWKS stops being honoured within that time.
/// </summary>
internal sealed class CachingTokenHandler : JsonWebTokenHandler
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);
    private const int MaxEntries = 20_000;
    private readonly ConcurrentDictionary<string, Entry> _validated = new(StringComparer.Ordinal);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        // The wall clock, as the token's own lifetime check uses (not a service's test clock).
        var now = DateTime.UtcNow;
        if (_validated.TryGetValue(token, out var entry))
        {
            if (entry.Until > now)
            {
                // A fresh identity per request: callers may add claims to theirs, and must not add them to others'.
                return new TokenValidationResult
                {
                    IsValid = true,
                    ClaimsIdentity = entry.Result.ClaimsIdentity.Clone(),
                    SecurityToken = entry.Result.SecurityToken,
                    TokenType = entry.Result.TokenType,
                };
            }
            _validated.TryRemove(token, out _);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { } securityToken)
        {
            if (_validated.Count >= MaxEntries)
            {
                _validated.Clear(); // many distinct tokens at once: start over rather than track ages
            }
            var until = securityToken.ValidTo == DateTime.MinValue ? now + Lifetime : Min(securityToken.ValidTo, now + Lifetime);
            _validated[token] = new Entry(result, until);
        }
        return result;
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private sealed record Entry(TokenValidationResult Result, DateTime Until);
}
