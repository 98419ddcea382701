using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using ParPlatform.Contracts.Events;
using ParPlatform.Criteria.Data;
using ParPlatform.Criteria.Model;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Messaging;
using ParPlatform.ServiceDefaults.Problems;

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
            await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
            return TypedResults.Ok(await RoundData.ListAsync(connection, caller.TenantId, caller.IsNational, year));
        });
        rounds.MapGet("/{id:guid}", async Task<Results<Ok<Round>, NotFoundProblem>> (Guid id, HttpContext http, TenantDataSource dataSource) =>
            await ReadableAsync(id, http, dataSource) is { } round ? TypedResults.Ok(round) : CriteriaProblems.NotFound("Round"));
        rounds.MapPost("/", (RoundRequest body, HttpContext http, TenantDataSource dataSource, SetReader sets, TimeProvider clock) =>
            SaveAsync(null, body, http, dataSource, sets, clock));
        rounds.MapPut("/{id:guid}", (Guid id, RoundRequest body, HttpContext http, TenantDataSource dataSource, SetReader sets, TimeProvider clock) =>
            SaveAsync(id, body, http, dataSource, sets, clock));
        rounds.MapDelete("/{id:guid}", DeleteAsync);
        rounds.MapGet("/{id:guid}/audit", WindowAuditAsync);
        rounds.MapGet("/{id:guid}/units", ListUnits);
        rounds.MapPut("/{id:guid}/units", SetUnits);
        rounds.MapPut("/{id:guid}/units/{unitId:guid}/not-applicable", SetNotApplicable);
        return api;
    }

    /// <param name="SurveyScoresVisibleToUnits">Absent: false on create, unchanged on update.</param>
    /// <param name="Reason">Why the windows move (a decision's number, an extension asked for): kept in the window trail.</param>
    public sealed record RoundRequest(
        int Year, string Name, Guid CriteriaSetId, string RankingGroup, RoundWindows Windows, Guid? PreviousRoundId = null,
        bool? SurveyScoresVisibleToUnits = null, string? Reason = null);

    private const int MaxReasonLength = 1000;

    public sealed record UnitsRequest(IReadOnlyList<Guid> UnitIds);

    public sealed record NotApplicableRequest(IReadOnlyList<string> Codes);

    /// <param name="ApplicableMaxPoints">The unit's denominator: the set's maximum less its not-applicable items.</param>
    public sealed record RoundUnitView(EvaluatedUnit Unit, IReadOnlyList<string> NotApplicableCodes, decimal ApplicableMaxPoints);

    private static async Task<Results<Created<Round>, Ok<Round>, NotFoundProblem, ForbiddenProblem, ConflictProblem, BadRequestProblem>> SaveAsync(
        Guid? id, RoundRequest body, HttpContext http, TenantDataSource dataSource, SetReader sets, TimeProvider clock)
    {
        var caller = Caller.Of(http);
        Round? current = null;
        if (id is { } existing)
        {
            current = await ReadableAsync(existing, http, dataSource);
            if (current is null) return CriteriaProblems.NotFound("Round");
        }
        if (!Access.CanAdminister(caller, current?.TenantId ?? caller.TenantId)) return CriteriaProblems.Forbidden("Only the tenant's administrators schedule rounds.");
        // What a round is about never changes: other services keyed their work to it. Saying "200" and keeping the
        // old values would let an administrator believe the round now uses another set.
        if (current is not null && FixedMembersChanged(current, body) is { Count: > 0 } changed)
            return CriteriaProblems.RoundFixed.With($"{string.Join(", ", changed)} cannot change once a round exists; create another round (a draft round can be deleted).");

        var errors = body.Windows.Validate(body.Year);
        if (string.IsNullOrWhiteSpace(body.Name)) errors["name"] = ["Name is required."];
        if (string.IsNullOrWhiteSpace(body.RankingGroup)) errors["rankingGroup"] = ["Ranking group is required."];
        if (body.Reason is { Length: > MaxReasonLength }) errors["reason"] = [$"The reason is at most {MaxReasonLength} characters."];
        var set = await sets.GetAsync(body.CriteriaSetId, http.RequestAborted);
        if (set is null || !Access.CanRead(caller, set.TenantId, set.Status)) errors["criteriaSetId"] = ["No such criteria set."];
        else if (set.Status != SetStatus.Published) errors["criteriaSetId"] = ["A round uses a published (immutable) set."];
        else
        {
            if (set.Definition.Year != body.Year)
                errors["year"] = [$"The round's year {body.Year} is not the year {set.Definition.Year} of criteria set {set.Definition.Code}."];
            if (!string.IsNullOrWhiteSpace(body.RankingGroup) && RankingGroups.LevelOf(body.RankingGroup) is { } groupLevel && groupLevel != set.Definition.Level)
                errors["rankingGroup"] = [$"Ranking group '{body.RankingGroup.Trim()}' ranks {groupLevel} units, but the set evaluates {set.Definition.Level} units."];
        }
        if (body.PreviousRoundId is { } previous && await ReadableAsync(previous, http, dataSource) is null)
            errors["previousRoundId"] = ["No such round."];
        if (current is not null && set is not null)
        {
            // Moved windows must still fit the units already in the round.
            await using var reading = await dataSource.OpenConnectionAsync(http.RequestAborted);
            var members = (await RoundData.UnitsAsync(reading, current.Id)).Select(member => member.Unit);
            foreach (var (unit, problem) in UnitProblems(members, set.Definition.Level, body.Windows)) errors[unit] = [problem];
        }
        if (errors.Count > 0) return CriteriaProblems.Invalid(errors, "The round is invalid; nothing was saved.");

        var round = current is null
            ? new Round(Guid.CreateVersion7(), caller.TenantId, body.Year, body.Name.Trim(), body.CriteriaSetId, body.RankingGroup.Trim(),
                body.Windows, body.PreviousRoundId, body.SurveyScoresVisibleToUnits ?? false)
            : current with
            {
                Name = body.Name.Trim(), Windows = body.Windows, PreviousRoundId = body.PreviousRoundId,
                SurveyScoresVisibleToUnits = body.SurveyScoresVisibleToUnits ?? current.SurveyScoresVisibleToUnits,
            };
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            await RoundData.UpsertAsync(connection, transaction, round, now);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return CriteriaProblems.DuplicateRound.With($"{round.RankingGroup} {round.Year}");
        }
        await RoundData.RecordWindowChangesAsync(connection, transaction, round, current?.Windows, round.Windows, caller, CallerName(http), now,
            string.IsNullOrWhiteSpace(body.Reason) ? null : body.Reason.Trim());
        await transaction.CommitAsync();
        await using var saving = await dataSource.OpenConnectionAsync(http.RequestAborted);
        var saved = await RoundData.LoadAsync(saving, round.Id);
        return current is null ? TypedResults.Created($"/api/criteria/rounds/{round.Id}", saved!) : TypedResults.Ok(saved!);
    }

    private static List<string> FixedMembersChanged(Round current, RoundRequest body)
    {
        var changed = new List<string>();
        if (body.Year != current.Year) changed.Add($"year ({current.Year} -> {body.Year})");
        if (body.CriteriaSetId != current.CriteriaSetId) changed.Add($"criteriaSetId ({current.CriteriaSetId} -> {body.CriteriaSetId})");
        if ((body.RankingGroup ?? "").Trim() != current.RankingGroup) changed.Add($"rankingGroup ('{current.RankingGroup}' -> '{body.RankingGroup}')");
        return changed;
    }

    /// <summary>
    /// A round's units are of the level its set evaluates and exist on the day self-assessment opens: a district
    /// dissolved on 30/06/2025 cannot self-assess in a 2026 round. Keyed by unit id.
    /// </summary>
    private static IEnumerable<(string Unit, string Problem)> UnitProblems(IEnumerable<EvaluatedUnit> units, EvaluatedLevel level, RoundWindows windows)
    {
        var day = windows.UnitsMustExistOn;
        foreach (var unit in units)
        {
            if (unit.Type != level)
                yield return (unit.Id.ToString(), $"{unit.Name} is a {unit.Type} unit; the round's set evaluates {level} units.");
            else if (unit.ValidFrom > day || unit.ValidTo is { } last && last < day)
                yield return (unit.Id.ToString(),
                    $"{unit.Name} is valid {unit.ValidFrom:dd/MM/yyyy} to {(unit.ValidTo is { } to ? to.ToString("dd/MM/yyyy") : "today")}, not on {day:dd/MM/yyyy} when self-assessment opens.");
        }
    }

    /// <summary>A draft round (nothing attached, see <see cref="RoundData.AttachedAsync"/>) can be deleted; its window trail stays.</summary>
    private static async Task<Results<NoContent, NotFoundProblem, ForbiddenProblem, ConflictProblem>> DeleteAsync(Guid id, HttpContext http, TenantDataSource dataSource, TimeProvider clock)
    {
        var caller = Caller.Of(http);
        var round = await ReadableAsync(id, http, dataSource);
        if (round is null) return CriteriaProblems.NotFound("Round");
        if (!Access.CanAdminister(caller, round.TenantId)) return CriteriaProblems.Forbidden("Only the tenant's administrators delete rounds.");
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(new CommandDefinition("SELECT 1 FROM rounds WHERE id = @id FOR UPDATE", new { id }, transaction,
            cancellationToken: http.RequestAborted));
        if (await RoundData.AttachedAsync(connection, transaction, round, now) is { } reason)
            return CriteriaProblems.RoundInUse.With(reason);
        await RoundData.RecordWindowChangesAsync(connection, transaction, round, round.Windows, null, caller, CallerName(http), now, reason: null);
        await RoundData.DeleteAsync(connection, transaction, id);
        await transaction.CommitAsync();
        return TypedResults.NoContent();
    }

    /// <summary>Every move of the round's windows (deadlines), oldest first: for the tenant's administrators.</summary>
    private static async Task<Results<Ok<IReadOnlyList<RoundData.WindowChange>>, NotFoundProblem, ForbiddenProblem>> WindowAuditAsync(Guid id, HttpContext http, TenantDataSource dataSource)
    {
        var caller = Caller.Of(http);
        var round = await ReadableAsync(id, http, dataSource);
        if (round is null) return CriteriaProblems.NotFound("Round");
        if (!Access.IsAdministrator(caller)) return CriteriaProblems.Forbidden("Only administrators read a round's audit trail.");
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        return TypedResults.Ok(await RoundData.WindowChangesAsync(connection, id));
    }

    /// <summary>Who, as the audit shows it: the token's name claim when the issuer sends one, else the user id.</summary>
    private static string CallerName(HttpContext http) =>
        http.User.FindFirst("name")?.Value is { Length: > 0 } name ? name : Caller.Of(http).UserId;

    private static async Task<Results<Ok<List<RoundUnitView>>, NotFoundProblem>> ListUnits(Guid id, HttpContext http, TenantDataSource dataSource, SetReader sets)
    {
        var round = await ReadableAsync(id, http, dataSource);
        if (round is null) return CriteriaProblems.NotFound("Round");
        var set = (await sets.GetAsync(round.CriteriaSetId, http.RequestAborted))!.Definition;
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        var units = await RoundData.UnitsAsync(connection, id);
        return TypedResults.Ok(units.Select(u => new RoundUnitView(u.Unit, u.NotApplicableCodes, Applicability.ApplicableMaximum(set, u.NotApplicableCodes))).ToList());
    }

    private static async Task<Results<NoContent, NotFoundProblem, ForbiddenProblem, BadRequestProblem>> SetUnits(Guid id, UnitsRequest body, HttpContext http, TenantDataSource dataSource, SetReader sets)
    {
        var caller = Caller.Of(http);
        var round = await ReadableAsync(id, http, dataSource);
        if (round is null) return CriteriaProblems.NotFound("Round");
        if (!Access.CanAdminister(caller, round.TenantId)) return CriteriaProblems.Forbidden("Only the tenant's administrators change a round's units.");
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        var found = (await UnitData.LoadManyAsync(connection, body.UnitIds)).Where(u => Access.CanRead(caller, u.TenantId)).ToList();
        var errors = body.UnitIds.Except(found.Select(u => u.Id)).ToDictionary(u => u.ToString(), _ => new[] { "No such unit." });
        var level = (await sets.GetAsync(round.CriteriaSetId, http.RequestAborted))!.Definition.Level;
        foreach (var (unit, problem) in UnitProblems(found, level, round.Windows)) errors[unit] = [problem];
        if (errors.Count > 0) return CriteriaProblems.Invalid(errors, "The round's units are invalid.");
        await using var transaction = await connection.BeginTransactionAsync();
        await RoundData.SetUnitsAsync(connection, transaction, id, body.UnitIds.Distinct().ToList());
        await transaction.CommitAsync();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<RoundUnitView>, NotFoundProblem, ForbiddenProblem, BadRequestProblem>> SetNotApplicable(
        Guid id, Guid unitId, NotApplicableRequest body, HttpContext http, TenantDataSource dataSource, SetReader sets, TimeProvider clock)
    {
        var caller = Caller.Of(http);
        var round = await ReadableAsync(id, http, dataSource);
        if (round is null) return CriteriaProblems.NotFound("Round");
        if (!Access.CanAdminister(caller, round.TenantId)) return CriteriaProblems.Forbidden("Only the tenant's administrators mark items not applicable.");
        var set = (await sets.GetAsync(round.CriteriaSetId, http.RequestAborted))!.Definition;
        if (Applicability.UnknownCodes(set, body.Codes) is { Count: > 0 } unknown)
            return CriteriaProblems.Invalid(unknown.ToDictionary(code => code, _ => new[] { "No such item in the round's criteria set." }), "Unknown items.");
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        await using var transaction = await connection.BeginTransactionAsync();
        if (!await RoundData.SetNotApplicableAsync(connection, transaction, id, unitId, body.Codes)) return CriteriaProblems.NotFound("Unit in this round");
        // The ranking rescoring follows the change: the unit's applicable maximum moves even after finalisation.
        await Outbox.EnqueueAsync(connection, transaction, new RoundApplicabilityChanged(
            id, round.TenantId, unitId, body.Codes.Distinct().Order().ToList(), clock.GetUtcNow()));
        await transaction.CommitAsync();
        return TypedResults.Ok(new RoundUnitView(
            (await UnitData.LoadAsync(connection, unitId))!, body.Codes.Distinct().Order().ToList(), Applicability.ApplicableMaximum(set, body.Codes.ToList())));
    }

    public static async Task<Round?> ReadableAsync(Guid id, HttpContext http, TenantDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        return await RoundData.LoadAsync(connection, id) is { } round && Access.CanRead(Caller.Of(http), round.TenantId) ? round : null;
    }
}
