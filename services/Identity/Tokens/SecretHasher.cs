using Microsoft.AspNetCore.Identity;

namespace ParPlatform.Identity.Tokens;

public enum SecretCheck { Failed, Success, SuccessRehashNeeded }

/// <summary>
/// Passwords and client secrets are stored only as ASP.NET Core Identity v3 hashes: PBKDF2 with HMAC-SHA512,
/// 100,000 iterations and a random 128-bit salt per secret.
/// </summary>
public sealed class SecretHasher
{
    private static readonly PasswordHasher<SecretHasher> Hasher = new();

    // Compared against when there is no stored hash, so an unknown username costs as much time as a known one.
    private static readonly string Decoy = Hasher.HashPassword(null!, Guid.NewGuid().ToString());

    public string Hash(string secret) => Hasher.HashPassword(this, secret);

    public SecretCheck Verify(string? storedHash, string provided)
    {
        var result = Hasher.VerifyHashedPassword(this, storedHash ?? Decoy, provided);
        return storedHash is null ? SecretCheck.Failed : result switch
        {
            PasswordVerificationResult.Success => SecretCheck.Success,
            PasswordVerificationResult.SuccessRehashNeeded => SecretCheck.SuccessRehashNeeded,
            _ => SecretCheck.Failed,
        };
    }
}
