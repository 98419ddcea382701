using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using OpenIddict.Server;
using ParPlatform.Identity.Tokens;
using ParPlatform.ServiceDefaults.Data;

namespace ParPlatform.Identity.Keys;

/// <summary>The keys in the JWKS; the first one signs.</summary>
public sealed class SigningKeyRing
{
    public IReadOnlyList<RsaSecurityKey> Keys { get; internal set; } = [];
}

/// <summary>
/// RSA signing keys kept in the database and rotated at start-up and hourly: when the signing key nears the end of
/// <see cref="TokenSettings.SigningKeyLifetime"/>, its successor is created and published at once but signs only
/// <see cref="TokenSettings.SigningKeyPublicationLead"/> later; the key it replaces stays published until the next
/// rotation, so tokens it signed keep validating. Published: the pending key, the signing key and the previous one.
/// Every replica loads the same keys; an advisory lock makes replicas starting together create one key, not several.
/// </summary>
internal sealed class SigningKeyRotator(
    TenantDataSource dataSource, SigningKeyRing ring, TokenSettings settings, TimeProvider clock,
    IOptionsMonitorCache<OpenIddictServerOptions> serverOptions, ILogger<SigningKeyRotator> logger) : IHostedService, IDisposable
{
    private ITimer? _timer;
    // One rotation at a time in this process: the advisory lock orders the database work, but a rotation that read the
    // keys first could otherwise replace the ring after a later one (a timer tick overlapping an explicit rotation).
    private readonly SemaphoreSlim _rotating = new(1, 1);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RotateAsync(cancellationToken);
        _timer = clock.CreateTimer(_ => _ = RotateInBackgroundAsync(), null, TimeSpan.FromHours(1), TimeSpan.FromHours(1));
    }

    public async Task RotateAsync(CancellationToken cancellationToken)
    {
        await _rotating.WaitAsync(cancellationToken);
        try
        {
            await RotateOnceAsync(cancellationToken);
        }
        finally
        {
            _rotating.Release();
        }
    }

    private async Task RotateOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(7007)", transaction: transaction);
        var now = clock.GetUtcNow().UtcDateTime;
        var keys = (await connection.QueryAsync<StoredKey>(
            """
            SELECT key_id AS KeyId, private_key AS PrivateKey, activates_at AS ActivatesAt
            FROM signing_keys ORDER BY activates_at DESC
            """, transaction: transaction)).ToList();

        var newest = keys.FirstOrDefault();
        if (newest is null || (newest.ActivatesAt <= now && newest.ActivatesAt + settings.SigningKeyLifetime - settings.SigningKeyPublicationLead <= now))
        {
            // The very first key signs at once; a successor waits until every verifier has seen it.
            var key = NewKey(newest is null ? now : now + settings.SigningKeyPublicationLead);
            await connection.ExecuteAsync(
                "INSERT INTO signing_keys (key_id, private_key, created_at, activates_at) VALUES (@KeyId, @PrivateKey, @now, @ActivatesAt)",
                new { key.KeyId, key.PrivateKey, now, key.ActivatesAt }, transaction);
            keys.Insert(0, key);
            logger.LogInformation("Signing key {KeyId} published; it signs from {ActivatesAt:o}", key.KeyId, key.ActivatesAt);
        }

        var signing = keys.First(key => key.ActivatesAt <= now);
        var previous = keys.SkipWhile(key => key != signing).Skip(1).Take(1);
        var published = new[] { signing }.Concat(keys.Where(key => key.ActivatesAt > now)).Concat(previous).ToList();
        await connection.ExecuteAsync(
            "DELETE FROM signing_keys WHERE NOT (key_id = ANY(@keep))", new { keep = published.Select(key => key.KeyId).ToArray() }, transaction);
        await transaction.CommitAsync(cancellationToken);

        if (!ring.Keys.Select(key => key.KeyId).SequenceEqual(published.Select(key => key.KeyId)))
        {
            ring.Keys = published.Select(ToSecurityKey).ToList();
            // OpenIddict reads its options on each request: dropping the cached copy makes it pick up the new ring.
            serverOptions.TryRemove(Options.DefaultName);
        }
    }

    private async Task RotateInBackgroundAsync()
    {
        try
        {
            await RotateAsync(CancellationToken.None);
        }
        catch (Exception failure) when (failure is NpgsqlException or TimeoutException)
        {
            // The keys in memory keep signing; the next tick tries again.
            logger.LogWarning(failure, "Signing key rotation check failed");
        }
    }

    private static StoredKey NewKey(DateTime activatesAt)
    {
        using var rsa = RSA.Create(2048);
        return new StoredKey(Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12)), rsa.ExportPkcs8PrivateKey(), activatesAt);
    }

    private static RsaSecurityKey ToSecurityKey(StoredKey stored)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(stored.PrivateKey, out _);
        return new RsaSecurityKey(rsa) { KeyId = stored.KeyId };
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _timer?.Dispose(); // the semaphore holds no wait handle: nothing to release

    // DateTime, not DateTimeOffset: Npgsql reads timestamptz as a UTC DateTime, and Dapper matches constructor types.
    private sealed record StoredKey(string KeyId, byte[] PrivateKey, DateTime ActivatesAt);
}
