using Npgsql;
using ParPlatform.Ranking.Criteria;
using ParPlatform.Ranking.Data;
using ParPlatform.Ranking.Scoring;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.Ranking.Live;

/// <summary>
/// A unit's live scorecard from its stored inputs. Only the changed unit is rescored: ranks and statistics depend on
/// all units but are cheap, so they are derived when the group is read (see <see cref="RankingTables"/>).
/// </summary>
internal static class UnitRecompute
{
    public static async Task<UnitResult> RunAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, RoundContext round, Guid unitId, DateTimeOffset now)
    {
        var unit = round.Units[unitId];
        var (appraised, survey) = await InputData.LoadUnitAsync(connection, transaction, round.Round.RoundId, unitId);
        var result = UnitScorer.Score(round.Set, new UnitInputs(unitId, unit.Name, appraised, survey, unit.NotApplicableCodes));
        await ResultData.UpsertAsync(connection, transaction, round.Round.RoundId, round.Round.TenantId, result, now);
        return result;
    }

    /// <summary>Checks that an event belongs to a round and unit the criteria service knows, in the same tenant.</summary>
    public static async Task<RoundContext> RoundForAsync(
        CriteriaClient criteria, Guid roundId, string tenantId, Guid unitId, CancellationToken cancellationToken)
    {
        var round = await criteria.GetRoundContextAsync(roundId, cancellationToken);
        // Thrown exceptions send the message to the error queue with this reason after the retries.
        return Problem(round, roundId, tenantId, unitId) is { } problem ? throw new InvalidOperationException(problem) : round!;
    }

    /// <summary>Why an event about <paramref name="unitId"/> cannot be applied to the round, or null when it can.</summary>
    public static string? Problem(RoundContext? round, Guid roundId, string tenantId, Guid unitId) =>
        round is null ? $"Round {roundId} is unknown to the criteria service."
        : round.Round.TenantId != tenantId ? $"Round {roundId} belongs to tenant {round.Round.TenantId}, not {tenantId}."
        : !round.Units.ContainsKey(unitId) ? $"Unit {unitId} is not evaluated in round {roundId}."
        : null;
}
