using System.Runtime.CompilerServices;
using Grpc.Core;
using Npgsql;
using ParPlatform.Contracts.Common.V1;
using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.Criteria.Apis;
using ParPlatform.Criteria.Data;
using ParPlatform.Criteria.Model;
using ParPlatform.ServiceDefaults;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Identity;

namespace ParPlatform.Criteria.Grpc;

/// <summary>
/// Reference data for the other services. Published sets are served from memory (they never change); tenant rules
/// are the REST ones, applied when the call carries a caller.
/// </summary>
internal sealed class CriteriaGrpcService(ServiceInfoSource info, SetReader sets, TenantDataSource dataSource)
    : CriteriaService.CriteriaServiceBase
{
    // Keyed by the cached domain object: a published set is mapped to its message once, and a reloaded set
    // (another instance) gets a fresh message, so nothing can go stale.
    private static readonly ConditionalWeakTable<Model.CriteriaSet, Contracts.Criteria.V1.CriteriaSet> Messages = new();

    public override Task<ServiceInfo> GetServiceInfo(GetServiceInfoRequest request, ServerCallContext context) =>
        Task.FromResult(info.Describe());

    public override async Task<Contracts.Criteria.V1.CriteriaSet> GetCriteriaSet(GetCriteriaSetRequest request, ServerCallContext context)
    {
        var set = await sets.GetAsync(ParseId(request.SetId, "set_id"), context.CancellationToken);
        if (set is null || !Access.CanRead(CallerOf(context), set.TenantId, set.Status))
            throw CriteriaProblems.NotFound($"Criteria set {request.SetId}").ToRpcException();
        return Messages.GetValue(set, static stored => stored.ToProto());
    }

    public override async Task<Contracts.Criteria.V1.Round> GetRound(GetRoundRequest request, ServerCallContext context) =>
        (await ReadableRoundAsync(request.RoundId, context)).ToProto();

    public override async Task<ListRoundUnitsReply> ListRoundUnits(ListRoundUnitsRequest request, ServerCallContext context)
    {
        // The round (and its units_version) is read before its units: an answer may be newer than its version, never older.
        var round = await ReadableRoundAsync(request.RoundId, context);
        var set = (await sets.GetAsync(round.CriteriaSetId, context.CancellationToken))!.Definition;
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        var reply = new ListRoundUnitsReply { UnitsVersion = round.UnitsVersion };
        foreach (var member in await RoundData.UnitsAsync(connection, round.Id))
        {
            var unit = member.Unit.ToProto();
            unit.NotApplicableCodes.AddRange(member.NotApplicableCodes);
            unit.ApplicableMaxPoints = ProtoMapping.Text(Applicability.ApplicableMaximum(set, member.NotApplicableCodes));
            reply.Units.Add(unit);
        }
        return reply;
    }

    public override async Task<ResolveLineageReply> ResolveLineage(ResolveLineageRequest request, ServerCallContext context)
    {
        var id = ParseId(request.UnitId, "unit_id");
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        var unit = await UnitData.LoadAsync(connection, id);
        if (unit is null || !Access.CanRead(CallerOf(context), unit.TenantId))
            throw CriteriaProblems.NotFound($"Unit {request.UnitId}").ToRpcException();
        var forward = request.Direction != LineageDirection.Backward;
        var links = Lineage.Resolve(id, await UnitData.LineageAsync(connection, unit.TenantId), forward);
        var units = (await UnitData.LoadManyAsync(connection, links.Select(link => link.UnitId))).ToDictionary(u => u.Id);
        var reply = new ResolveLineageReply();
        reply.Units.AddRange(links.Select(link => new Contracts.Criteria.V1.LineageLink
        {
            UnitId = link.UnitId.ToString(),
            UnitName = units[link.UnitId].Name,
            Event = link.Kind is { } kind ? SetData.Lower(kind) : "",
            EffectiveAt = link.EffectiveOn is { } day ? ProtoMapping.Midnight(day) : null,
        }));
        return reply;
    }

    private async Task<Model.Round> ReadableRoundAsync(string roundId, ServerCallContext context)
    {
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        var round = await RoundData.LoadAsync(connection, ParseId(roundId, "round_id"));
        return round is not null && Access.CanRead(CallerOf(context), round.TenantId)
            ? round
            : throw CriteriaProblems.NotFound($"Round {roundId}").ToRpcException();
    }

    private static Caller? CallerOf(ServerCallContext context) => Caller.From(context.GetHttpContext().User);

    private static Guid ParseId(string value, string field) =>
        Guid.TryParse(value, out var id) ? id : throw CriteriaProblems.InvalidArgument.With($"{field} must be a UUID.").ToRpcException();
}
