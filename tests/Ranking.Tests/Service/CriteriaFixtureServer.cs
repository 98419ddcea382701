using System.Collections.Concurrent;
using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ParPlatform.Contracts.Common.V1;
using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.Hosting.Processes;

namespace ParPlatform.Ranking.Tests.Service;

/// <summary>
/// A tiny but real criteria service (gRPC over h2c on a Kestrel socket) serving the rounds, sets, units and lineage a
/// test puts in it, so the ranking service is exercised through its real gRPC client.
/// </summary>
public sealed class CriteriaFixtureServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CriteriaFixtureServer(WebApplication app, CriteriaData data, int port)
    {
        _app = app;
        Data = data;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Address { get; }
    public CriteriaData Data { get; }

    public static async Task<CriteriaFixtureServer> StartAsync()
    {
        var port = PortAllocator.GetFreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var data = new CriteriaData();
        builder.Services.AddSingleton(data);
        var app = builder.Build();
        app.MapGrpcService<FixtureCriteriaService>();
        await app.StartAsync();
        return new CriteriaFixtureServer(app, data, port);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

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
