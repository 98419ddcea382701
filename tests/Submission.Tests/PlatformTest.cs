namespace ParPlatform.Submission.Tests;

/// <summary>Each test gets its own platform (fresh databases, fresh clock).</summary>
public abstract class PlatformTest : IAsyncLifetime
{
    protected TestPlatform Platform { get; private set; } = null!;

    protected virtual IReadOnlyDictionary<string, string>? EvidenceConfiguration => null;

    /// <summary>Evidence-storage tests leave the submission service out: one host less to start per test.</summary>
    protected virtual bool WithSubmission => true;

    public async Task InitializeAsync() => Platform = await TestPlatform.StartAsync(EvidenceConfiguration, WithSubmission);

    public async Task DisposeAsync() => await Platform.DisposeAsync();
}
