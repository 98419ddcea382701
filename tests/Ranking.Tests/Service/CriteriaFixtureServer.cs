using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using ParPlatform.Contracts.Common.V1;
using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.Testing;

namespace ParPlatform.Ranking.Tests.Service;

/// <summary>
/// A tiny but real criteria service (gRPC over h2c on a Kestrel socket) serving the rounds, sets, units and lineage a
/// test puts in it, so the ranking service is exercised through its real gRPC client.
/// </summary>
public sealed class CriteriaFixtureServer : IAsyncDisposable
{
    private readonly GrpcTestServer _server;

    private CriteriaFixtureServer(GrpcTestServer server, CriteriaData data)
    {
        _server = server;
        Data = data;
    }

    public Uri Address => _server.Address;
    public CriteriaData Data { get; }

    public static async Task<CriteriaFixtureServer> StartAsync()
    {
        var data = new CriteriaData();
        return new CriteriaFixtureServer(await GrpcTestServer.StartAsync<FixtureCriteriaService>(services => services.AddSingleton(data)), data);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private sealed class FixtureCriteriaService(CriteriaData data) : CriteriaService.CriteriaServiceBase
    {
        public override Task<ServiceInfo> GetServiceInfo(GetServiceInfoRequest request, ServerCallContext context) =>
            Task.FromResult(new ServiceInfo { Service = "criteria-fixture" });

        public override Task<CriteriaSet> GetCriteriaSet(GetCriteriaSetRequest request, ServerCallContext context) =>
            Task.FromResult(Found(data.Sets, request.SetId));

        public override Task<Round> GetRound(GetRoundRequest request, ServerCallContext context) =>
            Task.FromResult(Found(data.Rounds, request.RoundId));

        public override Task<ListRoundUnitsReply> ListRoundUnits(ListRoundUnitsRequest request, ServerCallContext context)
        {
            var reply = new ListRoundUnitsReply();
            reply.Units.AddRange(Found(data.Units, request.RoundId));
            return Task.FromResult(reply);
        }

        public override Task<ResolveLineageReply> ResolveLineage(ResolveLineageRequest request, ServerCallContext context)
        {
            var reply = new ResolveLineageReply();
            reply.Units.AddRange(data.Predecessors.GetValueOrDefault(request.UnitId)
                ?? [new LineageLink { UnitId = request.UnitId, UnitName = "", Event = "" }]);
            return Task.FromResult(reply);
        }

        private static T Found<T>(ConcurrentDictionary<string, T> items, string id) =>
            items.TryGetValue(id, out var item) ? item : throw new RpcException(new Status(StatusCode.NotFound, $"{id} not found"));
    }
}

/// <summary>What the fixture criteria service knows; tests add to it.</summary>
public sealed class CriteriaData
{
    public ConcurrentDictionary<string, CriteriaSet> Sets { get; } = new();
    public ConcurrentDictionary<string, Round> Rounds { get; } = new();
    public ConcurrentDictionary<string, List<EvaluatedUnit>> Units { get; } = new();
    public ConcurrentDictionary<string, List<LineageLink>> Predecessors { get; } = new();
}
