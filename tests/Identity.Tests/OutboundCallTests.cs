using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Net;
using System.Net.Http.Headers;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using ParPlatform.Contracts;
using ParPlatform.Identity.Seed;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.Testing;
using Xunit.Abstractions;
using static ParPlatform.Identity.Tests.IdentityPlatformFixture;

namespace ParPlatform.Identity.Tests;

/// <summary>
/// Issue 11: nothing in the platform calls out of its own network unasked, and the identity service does not look
/// itself up to verify the tokens it signed. A service (identity, with the shared ServiceDefaults, MassTransit and
/// JWT verification every service has) runs in this process under a listener on .NET's own networking events: every
/// HTTP request, DNS lookup and socket connect it makes must stay on this machine's loopback.
/// </summary>
[Collection(OutboundCallCollection.Name)]
public sealed class OutboundCallTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ServiceHost<Program> _identity = null!;
    private readonly NetworkListener _network = new();

    public async Task InitializeAsync()
    {
        var infrastructure = await TestInfrastructure.SharedAsync();
        var database = await infrastructure.CreateDatabaseAsync("identity_outbound");
        // MassTransit's usage report waits at least 30 s after the bus starts (5 min by default): bring it to its
        // earliest, so a report that is still enabled is sent while this test watches.
        _identity = new ServiceHost<Program>(infrastructure, ResourceNames.IdentityDb, database,
            new Dictionary<string, string> { ["Seed:Demo"] = "true" },
            services => services.PostConfigure<UsageTelemetryOptions>(options => options.ReportDelay = TimeSpan.FromSeconds(30))).Start();
    }

    [Fact]
    public async Task A_service_opens_no_connection_outside_the_platform_in_its_first_35_seconds()
    {
        var started = Stopwatch.StartNew();
        using var http = _identity.CreateRestClient();
        var token = await TokenAsync(http, PasswordGrant("qn.quantri", DemoAccounts.Password));
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/identity/info"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var wait = TimeSpan.FromSeconds(35) - started.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        foreach (var seen in _network.Seen.Distinct())
        {
            output.WriteLine(seen);
        }
        var outside = _network.Seen.Where(seen => !NetworkListener.StaysInside(seen)).Distinct().ToList();
        Assert.True(outside.Count == 0, "Calls out of the platform's own network:\n" + string.Join('\n', outside));
        Assert.Contains(_network.Seen, seen => seen.StartsWith("http ", StringComparison.Ordinal)); // the listener hears
    }

    [Fact]
    public async Task A_call_to_identity_that_carries_a_token_answers_at_once()
    {
        // Before: the identity service fetched its own metadata from http://_http.identity, which service discovery
        // could not resolve in the identity service ("identity:80, Name or service not known"): 6-11 s of retries.
        using var http = _identity.CreateRestClient();
        var token = await TokenAsync(http, PasswordGrant("qn.xem", DemoAccounts.Password));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/identity/info");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var watch = Stopwatch.StartNew();
            using var response = await http.SendAsync(request);
            watch.Stop();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"call {attempt + 1} with a token took {watch.Elapsed.TotalSeconds:0.0} s");
        }

        // Fast because verified with the service's own keys, not because verification was skipped: the token
        // authenticates its account; one with a broken signature authenticates no one.
        Assert.Equal(PlatformRoles.Viewer, (await AuthenticateAsync(token))?.Role);
        Assert.Null(await AuthenticateAsync(token[..^6] + (token[^6] == 'A' ? "BBBBBB" : "AAAAAA")));
    }

    private async Task<Caller?> AuthenticateAsync(string token)
    {
        await using var scope = _identity.Services.CreateAsyncScope();
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = $"Bearer {token}";
        var result = await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.AuthenticateAsync(context, PlatformAuthentication.Scheme);
        return result.Succeeded ? Caller.From(result.Principal) : null;
    }

    public async Task DisposeAsync()
    {
        _network.Dispose();
        await _identity.DisposeAsync();
    }

    /// <summary>
    /// .NET's networking events of this process: <c>http HOST</c> for each HTTP request, <c>dns NAME</c> for each
    /// name lookup, <c>connect ADDRESS</c> for each socket connect.
    /// </summary>
    private sealed class NetworkListener : EventListener
    {
        public ConcurrentBag<string> Seen { get; } = [];

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name is "System.Net.Http" or "System.Net.NameResolution" or "System.Net.Sockets")
            {
                EnableEvents(source, EventLevel.Informational, EventKeywords.All);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            var first = e.Payload is { Count: > 0 } ? e.Payload[0]?.ToString() : null;
            switch (e.EventSource.Name, e.EventName)
            {
                case ("System.Net.Http", "RequestStart") when e.Payload is { Count: > 2 }:
                    Seen.Add($"http {e.Payload[1]}:{e.Payload[2]}");
                    break;
                case ("System.Net.NameResolution", "ResolutionStart") when first is not null:
                    Seen.Add($"dns {first}");
                    break;
                case ("System.Net.Sockets", "ConnectStart") when first is not null:
                    Seen.Add($"connect {first}");
                    break;
            }
        }

        /// <summary>
        /// Loopback, a service-discovery name (<c>_http.criteria</c>) that configuration resolves, or a platform
        /// service's own name (what cluster DNS resolves under Kubernetes).
        /// </summary>
        public static bool StaysInside(string seen)
        {
            var (kind, target) = (seen[..seen.IndexOf(' ')], seen[(seen.IndexOf(' ') + 1)..]);
            return kind switch
            {
                "http" => IsPlatformName(target[..target.LastIndexOf(':')]) || IsDiscoveryName(target[..target.LastIndexOf(':')]),
                "dns" => IsPlatformName(target),
                _ => ConnectsToLoopback(target),
            };
        }

        private static readonly string[] Services =
            [ResourceNames.Criteria, ResourceNames.Submission, ResourceNames.EvidenceStorage, ResourceNames.Survey, ResourceNames.Ranking,
             ResourceNames.Identity, ResourceNames.Gateway, ResourceNames.Postgres, ResourceNames.Messaging];

        private static bool IsPlatformName(string host) => IsLoopbackName(host) || Services.Contains(host, StringComparer.OrdinalIgnoreCase);

        private static bool IsLoopbackName(string host) =>
            host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

        private static bool IsDiscoveryName(string host) =>
            (host.StartsWith("_http.", StringComparison.Ordinal) || host.StartsWith("_grpc.", StringComparison.Ordinal)) && !host.Contains(':');

        /// <summary>A SocketAddress as text: "InterNetwork:16:{p,p,a,a,a,a,...}" or "InterNetworkV6:28:{p,p,f,f,f,f,a x 16,...}".</summary>
        private static bool ConnectsToLoopback(string socketAddress)
        {
            var open = socketAddress.IndexOf('{');
            if (open < 0 || socketAddress.StartsWith("Unix", StringComparison.Ordinal))
            {
                return socketAddress.StartsWith("Unix", StringComparison.Ordinal);
            }
            var bytes = socketAddress[(open + 1)..socketAddress.IndexOf('}')].Split(',').Select(byte.Parse).ToArray();
            var address = socketAddress.StartsWith("InterNetworkV6:", StringComparison.Ordinal)
                ? new IPAddress(bytes[6..22])
                : new IPAddress(bytes[2..6]);
            return IPAddress.IsLoopback(address) || (address.IsIPv4MappedToIPv6 && IPAddress.IsLoopback(address.MapToIPv4()));
        }
    }
}

/// <summary>Alone, so the process-wide listener hears this test's service only, not other tests' hosts.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OutboundCallCollection
{
    public const string Name = "outbound calls";
}
