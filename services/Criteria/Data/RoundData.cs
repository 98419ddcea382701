using Dapper;
using Npgsql;
using ParPlatform.Criteria.Model;
using ParPlatform.ServiceDefaults.Identity;

namespace ParPlatform.Criteria.Data;

internal static class RoundData
{
    private const string RoundColumns =
        """
        id, tenant_id AS TenantId, year, name, criteria_set_id AS CriteriaSetId, ranking_group AS RankingGroup,
        self_assessment_opens_at AS SelfAssessmentOpensAt, self_assessment_closes_at AS SelfAssessmentClosesAt,
        appraisal_opens_at AS AppraisalOpensAt, appraisal_closes_at AS AppraisalClosesAt,
        survey_opens_at AS SurveyOpensAt, survey_closes_at AS SurveyClosesAt, publication_at AS PublicationAt,
        previous_round_id AS PreviousRoundId, survey_scores_visible_to_units AS SurveyScoresVisibleToUnits,
        units_version AS UnitsVersion
        """;

    public static async Task<Round?> LoadAsync(NpgsqlConnection connection, Guid id) =>
        (await connection.QuerySingleOrDefaultAsync<RoundRow>($"SELECT {RoundColumns} FROM rounds WHERE id = @id", new { id }))?.ToRound();

    public static async Task<IReadOnlyList<Round>> ListAsync(NpgsqlConnection connection, string tenantId, bool national, int? year) =>
        (await connection.QueryAsync<RoundRow>(
            $"""
            SELECT {RoundColumns} FROM rounds
            WHERE (@national OR tenant_id = @tenantId) AND (@year::int IS NULL OR year = @year)
            ORDER BY year DESC, tenant_id, ranking_group
            """, new { tenantId, national, year })).Select(row => row.ToRound()).ToList();

    public static Task<int> UpsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Round round, DateTimeOffset now)
    {
        var w = round.Windows;
        return connection.ExecuteAsync(
            """
            INSERT INTO rounds (id, tenant_id, year, name, criteria_set_id, ranking_group, self_assessment_opens_at,
                self_assessment_closes_at, appraisal_opens_at, appraisal_closes_at, survey_opens_at, survey_closes_at,
                publication_at, previous_round_id, survey_scores_visible_to_units, created_at, updated_at)
            VALUES (@Id, @TenantId, @Year, @Name, @CriteriaSetId, @RankingGroup, @sao, @sac, @aao, @aac, @suo, @suc, @pub,
                @PreviousRoundId, @SurveyScoresVisibleToUnits, @now, @now)
            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, self_assessment_opens_at = EXCLUDED.self_assessment_opens_at,
                self_assessment_closes_at = EXCLUDED.self_assessment_closes_at, appraisal_opens_at = EXCLUDED.appraisal_opens_at,
                appraisal_closes_at = EXCLUDED.appraisal_closes_at, survey_opens_at = EXCLUDED.survey_opens_at,
                survey_closes_at = EXCLUDED.survey_closes_at, publication_at = EXCLUDED.publication_at,
                previous_round_id = EXCLUDED.previous_round_id,
                survey_scores_visible_to_units = EXCLUDED.survey_scores_visible_to_units, updated_at = EXCLUDED.updated_at
            WHERE rounds.tenant_id = EXCLUDED.tenant_id
            """,
            new
            {
                round.Id, round.TenantId, round.Year, round.Name, round.CriteriaSetId, round.RankingGroup,
                // Npgsql writes only UTC offsets to timestamptz; the instant is what counts.
                sao = w.SelfAssessmentOpensAt.ToUniversalTime(), sac = w.SelfAssessmentClosesAt.ToUniversalTime(),
                aao = w.AppraisalOpensAt.ToUniversalTime(), aac = w.AppraisalClosesAt.ToUniversalTime(),
                suo = w.SurveyOpensAt.ToUniversalTime(), suc = w.SurveyClosesAt.ToUniversalTime(),
                pub = w.PublicationAt.ToUniversalTime(),
                round.PreviousRoundId, round.SurveyScoresVisibleToUnits, now,
            }, transaction);
    }

    /// <summary>
    /// What keeps a round from being deleted, or null when nothing does. Inside the criteria service a round is
    /// "attached" once it has member units (assessments, survey points and rankings are all per unit), once its
    /// self-assessment window has opened, or when another round names it as its previous round.
    /// </summary>
    public static async Task<string?> AttachedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Round round, DateTimeOffset now)
    {
        var (units, followers) = await connection.QuerySingleAsync<(long, long)>(
            """
            SELECT (SELECT count(*) FROM round_units WHERE round_id = @Id), (SELECT count(*) FROM rounds WHERE previous_round_id = @Id)
            """, new { round.Id }, transaction);
        if (units > 0) return $"The round has {units} unit(s); remove them first (PUT /rounds/{round.Id}/units with no units).";
        if (followers > 0) return $"{followers} later round(s) name this round as their previous round.";
        if (now >= round.Windows.SelfAssessmentOpensAt)
            return $"Self-assessment opened on {round.Windows.SelfAssessmentOpensAt.ToOffset(RoundWindows.Vietnam):dd/MM/yyyy HH:mm}; the round is no longer a draft.";
        return null;
    }

    public static Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id) =>
        connection.ExecuteAsync("DELETE FROM rounds WHERE id = @id", new { id }, transaction);

    /// <summary>One row per window whose instant changed (every window when the round is created or deleted).</summary>
    public static Task RecordWindowChangesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Round round, RoundWindows? before, RoundWindows? after,
        Caller caller, string callerName, DateTimeOffset now, string? reason)
    {
        var old = before?.Named.ToDictionary(w => w.Name, w => (DateTimeOffset?)w.Value) ?? [];
        var @new = after?.Named.ToDictionary(w => w.Name, w => (DateTimeOffset?)w.Value) ?? [];
        var changes = old.Keys.Union(@new.Keys)
            .Select(name => (Name: name, Old: old.GetValueOrDefault(name), New: @new.GetValueOrDefault(name)))
            .Where(change => change.Old != change.New)
            .Select(change => new
            {
                roundId = round.Id, tenantId = round.TenantId, window = change.Name,
                oldValue = change.Old?.ToUniversalTime(), newValue = change.New?.ToUniversalTime(),
                by = caller.UserId, name = callerName, now, reason,
            }).ToList();
        return connection.ExecuteAsync(
            """
            INSERT INTO round_window_changes (round_id, tenant_id, window_name, old_value, new_value, changed_by, changed_by_name, changed_at, reason)
            VALUES (@roundId, @tenantId, @window, @oldValue, @newValue, @by, @name, @now, @reason)
            """, changes, transaction);
    }

    public static async Task<IReadOnlyList<WindowChange>> WindowChangesAsync(NpgsqlConnection connection, Guid roundId) =>
        (await connection.QueryAsync<WindowChangeRow>(
            """
            SELECT window_name AS Window, old_value AS OldValue, new_value AS NewValue, changed_by AS ChangedBy,
                   changed_by_name AS ChangedByName, changed_at AS ChangedAt, reason AS Reason
            FROM round_window_changes WHERE round_id = @roundId ORDER BY id
            """, new { roundId })).Select(row => row.ToChange()).ToList();

    /// <param name="ChangedByName">The token's name claim, else the user id.</param>
    /// <param name="Reason">What the administrator gave as the reason; null when none was given.</param>
    public sealed record WindowChange(
        string Window, DateTimeOffset? OldValue, DateTimeOffset? NewValue, string ChangedBy, string ChangedByName, DateTimeOffset ChangedAt,
        string? Reason);

    private sealed record WindowChangeRow(
        string Window, DateTime? OldValue, DateTime? NewValue, string ChangedBy, string ChangedByName, DateTime ChangedAt, string? Reason)
    {
        public WindowChange ToChange() => new(
            Window, OldValue is { } o ? Utc(o) : null, NewValue is { } n ? Utc(n) : null, ChangedBy, ChangedByName, Utc(ChangedAt), Reason);
    }


    public static async Task<IReadOnlyList<RoundUnit>> UnitsAsync(NpgsqlConnection connection, Guid roundId)
    {
        var rows = await connection.QueryAsync<(Guid UnitId, string[] Codes)>(
            """
            SELECT ru.unit_id, COALESCE(array_agg(na.node_code ORDER BY na.node_code) FILTER (WHERE na.node_code IS NOT NULL), '{}')
            FROM round_units ru LEFT JOIN not_applicable_items na ON na.round_id = ru.round_id AND na.unit_id = ru.unit_id
            WHERE ru.round_id = @roundId GROUP BY ru.unit_id
            """, new { roundId });
        var codes = rows.ToDictionary(row => row.UnitId, row => row.Codes);
        var units = await UnitData.LoadManyAsync(connection, codes.Keys);
        return units.OrderBy(unit => unit.Code).Select(unit => new RoundUnit(unit, codes[unit.Id])).ToList();
    }

    /// <summary>Replaces the round's membership: units leaving take their not-applicable marks with them.</summary>
    public static async Task SetUnitsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid roundId, IReadOnlyCollection<Guid> unitIds)
    {
        await connection.ExecuteAsync(
            "DELETE FROM round_units WHERE round_id = @roundId AND unit_id <> ALL(@unitIds)", new { roundId, unitIds = unitIds.ToArray() }, transaction);
        await connection.ExecuteAsync(
            "INSERT INTO round_units (round_id, unit_id) SELECT @roundId, unnest(@unitIds) ON CONFLICT DO NOTHING",
            new { roundId, unitIds = unitIds.ToArray() }, transaction);
    }

    public static async Task<bool> SetNotApplicableAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid roundId, Guid unitId, IReadOnlyCollection<string> codes)
    {
        var member = await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM round_units WHERE round_id = @roundId AND unit_id = @unitId)", new { roundId, unitId }, transaction);
        if (!member) return false;
        await connection.ExecuteAsync(
            "DELETE FROM not_applicable_items WHERE round_id = @roundId AND unit_id = @unitId", new { roundId, unitId }, transaction);
        await connection.ExecuteAsync(
            "INSERT INTO not_applicable_items (round_id, unit_id, node_code) SELECT @roundId, @unitId, unnest(@codes)",
            new { roundId, unitId, codes = codes.Distinct().ToArray() }, transaction);
        return true;
    }

    public sealed record RoundUnit(EvaluatedUnit Unit, IReadOnlyList<string> NotApplicableCodes);

    private sealed record RoundRow(
        Guid Id, string TenantId, int Year, string Name, Guid CriteriaSetId, string RankingGroup,
        DateTime SelfAssessmentOpensAt, DateTime SelfAssessmentClosesAt, DateTime AppraisalOpensAt, DateTime AppraisalClosesAt,
        DateTime SurveyOpensAt, DateTime SurveyClosesAt, DateTime PublicationAt, Guid? PreviousRoundId, bool SurveyScoresVisibleToUnits,
        long UnitsVersion)
    {
        public Round ToRound() => new(
            Id, TenantId, Year, Name, CriteriaSetId, RankingGroup,
            new RoundWindows(Utc(SelfAssessmentOpensAt), Utc(SelfAssessmentClosesAt), Utc(AppraisalOpensAt), Utc(AppraisalClosesAt),
                Utc(SurveyOpensAt), Utc(SurveyClosesAt), Utc(PublicationAt)),
            PreviousRoundId, SurveyScoresVisibleToUnits) { UnitsVersion = UnitsVersion };
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
