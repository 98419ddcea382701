using System.Net.Http.Json;
using ParPlatform.Contracts;

namespace ParPlatform.Gateway.Security;

/// <summary>
/// The accounts the identity service has disabled, polled every <see cref="Interval"/> from its in-cluster
/// <c>/internal/disabled-accounts</c>: a token whose subject is among them is refused (401) although it has not
/// expired, so disabling a person takes effect at every service within a minute. Only for the platform's own
/// issuer (an external issuer revokes its own way). If identity cannot be reached, the last list stays in force.
/// </summary>
public sealed class DisabledAccounts(IHttpClientFactory clients, ILogger<DisabledAccounts> logger) : BackgroundService
{
    public const string Client = "identity-account-status";
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(20);
    private volatile HashSet<string> _disabled = [];

    public bool IsDisabled(string? subject) => subject is not null && _disabled.Contains(subject);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var http = clients.CreateClient(Client);
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var reply = await http.GetFromJsonAsync<Reply>($"{ResourceNames.HttpAddress(ResourceNames.Identity)}/internal/disabled-accounts", stoppingToken);
                _disabled = reply?.Disabled.ToHashSet(StringComparer.Ordinal) ?? [];
            }
            catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogDebug(failure, "Disabled accounts could not be read from identity; the last list stays in force");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private sealed record Reply(List<string> Disabled);
}
