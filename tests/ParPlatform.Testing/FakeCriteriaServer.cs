using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using ParPlatform.Contracts.Common.V1;
using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.ServiceDefaults.Messaging;

namespace ParPlatform.Testing;

/// <summary>
/// A tiny but real criteria service: gRPC over h2c on its own loopback Kestrel port, serving the sets, rounds, units
/// and lineage a test puts in <see cref="Data"/>, so a service under test calls it through its real CriteriaClient
/// exactly as it calls the criteria service. What is not in <see cref="Data"/> is answered NotFound, as the real
/// service does.
/// </summary>
public sealed class FakeCriteriaServer : IAsyncDisposable
{
    private readonly GrpcTestServer _server;

    private FakeCriteriaServer(GrpcTestServer server, CriteriaData data)
    {
        _server = server;
        Data = data;
    }

    public Uri Address => _server.Address;
    public CriteriaData Data { get; }

    /// <param name="seed">Fills <see cref="Data"/> before the first call can arrive.</param>
    public static async Task<FakeCriteriaServer> StartAsync(Action<CriteriaData>? seed = null)
    {
        var data = new CriteriaData();
        seed?.Invoke(data);
        return new FakeCriteriaServer(await GrpcTestServer.StartAsync<Service>(services => services.AddSingleton(data)), data);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private sealed class Service(CriteriaData data) : CriteriaService.CriteriaServiceBase
    {
        public override Task<ServiceInfo> GetServiceInfo(GetServiceInfoRequest request, ServerCallContext context) =>
            Task.FromResult(new ServiceInfo { Service = "fake-criteria" });

        public override Task<CriteriaSet> GetCriteriaSet(GetCriteriaSetRequest request, ServerCallContext context) =>
            AnswerAsync(nameof(GetCriteriaSet), context, () => Found(data.Sets, request.SetId));

        // Tests change Data.Units in place, unseen: unless a test sets Data.UnitsVersion, each round read shows a newer
        // units_version than any answer given before it, so a client keeps no units between two reads of the round.
        private long UnitsVersion(bool next) => data.UnitsVersion ?? (next ? data.NextUnitsVersion() : data.CurrentUnitsVersion());

        public override Task<Round> GetRound(GetRoundRequest request, ServerCallContext context) =>
            AnswerAsync(nameof(GetRound), context, () =>
            {
                var round = Found(data.Rounds, request.RoundId).Clone();
                round.UnitsVersion = UnitsVersion(next: true);
                return round;
            });

        public override Task<ListRoundUnitsReply> ListRoundUnits(ListRoundUnitsRequest request, ServerCallContext context) =>
            AnswerAsync(nameof(ListRoundUnits), context, () =>
            {
                var reply = new ListRoundUnitsReply { UnitsVersion = UnitsVersion(next: false) };
                reply.Units.AddRange(Found(data.Units, request.RoundId));
                return reply;
            });

        // The real service answers the unit itself first, then its predecessors (or successors).
        public override Task<ResolveLineageReply> ResolveLineage(ResolveLineageRequest request, ServerCallContext context) =>
            AnswerAsync(nameof(ResolveLineage), context, () =>
            {
                var reply = new ResolveLineageReply();
                reply.Units.AddRange(data.Predecessors.GetValueOrDefault(request.UnitId)
                    ?? [new LineageLink { UnitId = request.UnitId, UnitName = "", Event = "" }]);
                return reply;
            });

        private async Task<T> AnswerAsync<T>(string method, ServerCallContext context, Func<T> answer)
        {
            data.Calls.AddOrUpdate(method, 1, (_, count) => count + 1);
            if (data.Unavailable)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "the fake criteria service is down"));
            }
            if (data.Delay > TimeSpan.Zero)
            {
                await Task.Delay(data.Delay, context.CancellationToken);
            }
            return answer();
        }

        private static T Found<T>(ConcurrentDictionary<string, T> items, string id) =>
            items.TryGetValue(id, out var item) ? item : throw new RpcException(new Status(StatusCode.NotFound, $"{id} not found"));
    }
}

/// <summary>What the fake criteria service knows (tests add to it, and may change it between calls), and what it was asked.</summary>
public sealed class CriteriaData
{
    public ConcurrentDictionary<string, CriteriaSet> Sets { get; } = new();
    public ConcurrentDictionary<string, Round> Rounds { get; } = new();

    /// <summary>The units of each round, by round id.</summary>
    public ConcurrentDictionary<string, List<EvaluatedUnit>> Units { get; } = new();

    /// <summary>The units_version every round shows, as the real service's would until its units change; null (the
    /// default): a newer one on every round read.</summary>
    public long? UnitsVersion { get; set; }

    private long _unitsVersion; // here, not in the gRPC service: a service instance lives for one call
    internal long NextUnitsVersion() => Interlocked.Increment(ref _unitsVersion);
    internal long CurrentUnitsVersion() => Interlocked.Read(ref _unitsVersion);

    /// <summary>What ResolveLineage answers for a unit, by unit id; a unit not here answers only itself (no predecessor).</summary>
    public ConcurrentDictionary<string, List<LineageLink>> Predecessors { get; } = new();

    /// <summary>Calls answered so far, by method name ("GetCriteriaSet", "GetRound", ...).</summary>
    public ConcurrentDictionary<string, int> Calls { get; } = new();

    /// <summary>How long each answer takes (a stuck service, for a caller's deadline); zero by default.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Every call is answered Unavailable (a criteria service that is down or restarting) while this is set.</summary>
    public bool Unavailable { get; set; }

    public int CallsOf(string method) => Calls.GetValueOrDefault(method);
}
