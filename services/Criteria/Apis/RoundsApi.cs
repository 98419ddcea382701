using Npgsql;
using ParPlatform.Contracts.Events;
using ParPlatform.Criteria.Data;
using ParPlatform.Criteria.Model;

namespace ParPlatform.Criteria.Apis;

/// <summary>Assessment rounds: the set, the ranking group and its units, the windows, and "không áp dụng" per unit.</summary>
internal static class RoundsApi
{
    public static RouteGroupBuilder MapRoundsApi(this RouteGroupBuilder api)
    {
        var rounds = api.MapGroup("/rounds").WithTags("Assessment rounds").RequireAuthorization();
        rounds.MapGet("/", async (int? year, HttpContext http, TenantDataSource dataSource) =>
        {
            var caller = Caller.Of(http);
            await using var connection = await dataSource.OpenConnectionAsync();
            return TypedResults.Ok(await RoundData.ListAsync(connection, caller.TenantId, caller.IsNational, year));
        });
        rounds.MapGet("/{id:guid}", async (Guid id, HttpContext http, TenantDataSource dataSource) =>
            await ReadableAsync(id, http, dataSource) is { } round ? (IResult)TypedResults.Ok(round) : Problems.NotFound("Round"));
        rounds.MapPost("/", (RoundRequest body, HttpContext http, TenantDataSource dataSource, SetReader sets, TimeProvider clock) =>
            SaveAsync(null, body, http, dataSource, sets, clock));
        rounds.MapPut("/{id:guid}", (Guid id, RoundRequest body, HttpContext http, TenantDataSource dataSource, SetReader sets, TimeProvider clock) =>
            SaveAsync(id, body, http, dataSource, sets, clock));
        rounds.MapGet("/{id:guid}/units", ListUnits);
        rounds.MapPut("/{id:guid}/units", SetUnits);
        rounds.MapPut("/{id:guid}/units/{unitId:guid}/not-applicable", SetNotApplicable);
        return api;
    }

    public sealed record RoundRequest(int Year, string Name, Guid CriteriaSetId, string RankingGroup, RoundWindows Windows, Guid? PreviousRoundId = null);

    public sealed record UnitsRequest(IReadOnlyList<Guid> UnitIds);

    public sealed record NotApplicableRequest(IReadOnlyList<string> Codes);

    /// <param name="ApplicableMaxPoints">The unit's denominator: the set's maximum less its not-applicable items.</param>
    public sealed record RoundUnitView(EvaluatedUnit Unit, IReadOnlyList<string> NotApplicableCodes, decimal ApplicableMaxPoints);

    private static async Task<IResult> SaveAsync(
        Guid? id, RoundRequest body, HttpContext http, TenantDataSource dataSource, SetReader sets, TimeProvider clock)
    {
        var caller = Caller.Of(http);
        Round? current = null;
        if (id is { } existing)
        {
            current = await ReadableAsync(existing, http, dataSource);
            if (current is null) return Problems.NotFound("Round");
        }
        if (!Access.CanAdminister(caller, current?.TenantId ?? caller.TenantId)) return Problems.Forbidden("Only the tenant's administrators schedule rounds.");
        var errors = body.Windows.Validate();
        if (string.IsNullOrWhiteSpace(body.Name)) errors["name"] = ["Name is required."];
        if (string.IsNullOrWhiteSpace(body.RankingGroup)) errors["rankingGroup"] = ["Ranking group is required."];
        var set = await sets.GetAsync(body.CriteriaSetId);
        if (set is null || !Access.CanRead(caller, set.TenantId, set.Status)) errors["criteriaSetId"] = ["No such criteria set."];
        else if (set.Status != SetStatus.Published) errors["criteriaSetId"] = ["A round uses a published (immutable) set."];
        if (body.PreviousRoundId is { } previous && await ReadableAsync(previous, http, dataSource) is null)
            errors["previousRoundId"] = ["No such round."];
        if (errors.Count > 0) return Problems.Validation(errors, "The round is invalid; nothing was saved.");

        var round = current is null
            ? new Round(Guid.CreateVersion7(), caller.TenantId, body.Year, body.Name.Trim(), body.CriteriaSetId, body.RankingGroup.Trim(), body.Windows, body.PreviousRoundId)
            : current with { Name = body.Name.Trim(), Windows = body.Windows, PreviousRoundId = body.PreviousRoundId };
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            await RoundData.UpsertAsync(connection, transaction, round, now);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Problems.Conflict("duplicate-round", "The group already has a round that year.", $"{round.RankingGroup} {round.Year}");
        }
        await Outbox.EnqueueAsync(connection, transaction, new RoundScheduled(round.Id, round.TenantId, round.CriteriaSetId, round.RankingGroup, now));
        await transaction.CommitAsync();
        await using var reading = await dataSource.OpenConnectionAsync();
        var saved = await RoundData.LoadAsync(reading, round.Id);
        return current is null ? TypedResults.Created($"/api/criteria/rounds/{round.Id}", saved) : TypedResults.Ok(saved);
    }

    private static async Task<IResult> ListUnits(Guid id, HttpContext http, TenantDataSource dataSource, SetReader sets)
    {
        var round = await ReadableAsync(id, http, dataSource);
        if (round is null) return Problems.NotFound("Round");
        var set = (await sets.GetAsync(round.CriteriaSetId))!.Definition;
        await using var connection = await dataSource.OpenConnectionAsync();
        var units = await RoundData.UnitsAsync(connection, id);
        return TypedResults.Ok(units.Select(u => new RoundUnitView(u.Unit, u.NotApplicableCodes, Applicability.ApplicableMaximum(set, u.NotApplicableCodes))).ToList());
    }

    private static async Task<IResult> SetUnits(Guid id, UnitsRequest body, HttpContext http, TenantDataSource dataSource)
    {
        var caller = Caller.Of(http);
        var round = await ReadableAsync(id, http, dataSource);
        if (round is null) return Problems.NotFound("Round");
        if (!Access.CanAdminister(caller, round.TenantId)) return Problems.Forbidden("Only the tenant's administrators change a round's units.");
        await using var connection = await dataSource.OpenConnectionAsync();
        var found = await UnitData.LoadManyAsync(connection, body.UnitIds);
        var missing = body.UnitIds.Except(found.Where(u => Access.CanRead(caller, u.TenantId)).Select(u => u.Id)).ToList();
        if (missing.Count > 0)
            return Problems.Validation(missing.ToDictionary(u => u.ToString(), _ => new[] { "No such unit." }), "The round's units are invalid.");
        await using var transaction = await connection.BeginTransactionAsync();
        await RoundData.SetUnitsAsync(connection, transaction, id, body.UnitIds.Distinct().ToList());
        await transaction.CommitAsync();
        return TypedResults.NoContent();
    }

    private static async Task<IResult> SetNotApplicable(
        Guid id, Guid unitId, NotApplicableRequest body, HttpContext http, TenantDataSource dataSource, SetReader sets, TimeProvider clock)
    {
        var caller = Caller.Of(http);
        var round = await ReadableAsync(id, http, dataSource);
        if (round is null) return Problems.NotFound("Round");
        if (!Access.CanAdminister(caller, round.TenantId)) return Problems.Forbidden("Only the tenant's administrators mark items not applicable.");
        var set = (await sets.GetAsync(round.CriteriaSetId))!.Definition;
        if (Applicability.UnknownCodes(set, body.Codes) is { Count: > 0 } unknown)
            return Problems.Validation(unknown.ToDictionary(code => code, _ => new[] { "No such item in the round's criteria set." }), "Unknown items.");
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (!await RoundData.SetNotApplicableAsync(connection, transaction, id, unitId, body.Codes)) return Problems.NotFound("Unit in this round");
        // The ranking rescoring follows the change: the unit's applicable maximum moves even after finalisation.
        await Outbox.EnqueueAsync(connection, transaction, new RoundApplicabilityChanged(
            id, round.TenantId, unitId, body.Codes.Distinct().Order().ToList(), clock.GetUtcNow()));
        await transaction.CommitAsync();
        return TypedResults.Ok(new RoundUnitView(
            (await UnitData.LoadAsync(connection, unitId))!, body.Codes.Distinct().Order().ToList(), Applicability.ApplicableMaximum(set, body.Codes.ToList())));
    }

    public static async Task<Round?> ReadableAsync(Guid id, HttpContext http, TenantDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await RoundData.LoadAsync(connection, id) is { } round && Access.CanRead(Caller.Of(http), round.TenantId) ? round : null;
    }
}
