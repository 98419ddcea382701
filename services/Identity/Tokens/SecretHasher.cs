using Microsoft.AspNetCore.Identity;

namespace ParPlatform.Identity.Tokens;

public enum SecretCheck { Failed, Success, SuccessRehashNeeded }

/// <summary>
/// Passwords and client secrets are stored only as ASP.NET Core Identity v3 hashes: PBKDF2 with HMAC-SHA512,
/// 100,000 iterations and a random 128-bit salt per secret.
/// One-time passwords (random, about 82 bits, replaced at first sign-in) are hashed with 10,000 iterations: the
/// iteration count guards guessable passwords, and these cannot be guessed; it keeps a 1,000-account import in
/// seconds. The count is part of each hash, so verifying needs nothing else, and the chosen password that replaces
/// a one-time one gets the full count.
/// </summary>
public sealed class SecretHasher
{
    public const int OneTimeIterations = 10_000;
    private static readonly PasswordHasher<SecretHasher> Hasher = new();
    private static readonly PasswordHasher<SecretHasher> OneTimeHasher =
        new(Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions { IterationCount = OneTimeIterations }));

    // Compared against when there is no stored hash, so an unknown username costs as much time as a known one.
    private static readonly string Decoy = Hasher.HashPassword(null!, Guid.NewGuid().ToString());

    public string Hash(string secret) => Hasher.HashPassword(this, secret);

    /// <summary>The hash of a generated one-time password (see above).</summary>
    public string HashOneTime(string oneTimePassword) => OneTimeHasher.HashPassword(this, oneTimePassword);

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
