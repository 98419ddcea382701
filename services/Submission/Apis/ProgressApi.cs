using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Figures;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;
using ParPlatform.Submission.Criteria;
using ParPlatform.Submission.Data;

namespace ParPlatform.Submission.Apis;

public sealed record RoundProgress(Guid RoundId, int Units, IReadOnlyList<Guid> NotSubmitted, IReadOnlyList<UnitProgress> Progress);

public sealed record UnitProgress(
    Guid UnitId, string UnitName, Guid? AssessmentId, string Status, int Items, int Scored, int MissingEvidence,
    IReadOnlyList<FieldScore> Fields);

public sealed record FieldScore(string FieldCode, string FieldName, decimal MaxPoints, decimal? SelfScore, decimal? AppraisedScore);

/// <summary>What officials follow during a round: who has not submitted, how far each unit is, self vs appraised per field.</summary>
internal static class ProgressApi
{
    public const string NotStarted = "NotStarted";

    public static void MapProgressApi(this RouteGroupBuilder api) =>
        api.MapGet("/rounds/{roundId:guid}/progress", async Task<Results<Ok<RoundProgress>, ForbiddenProblem, NotFoundProblem>> (
            Guid roundId, HttpContext http, TenantDataSource dataSource, CriteriaClient catalog) =>
        {
            var round = await catalog.GetRoundAsync(roundId, http.RequestAborted) ?? throw SubmissionProblems.NotFound($"Round {roundId}");
            if (!Access.IsTenantOverseer(Caller.Of(http), round.TenantId))
            {
                throw SubmissionProblems.Forbidden("Only the round's appraisers and administrators follow its progress.");
            }
            var units = await catalog.ListRoundUnitsAsync(round, http.RequestAborted) ?? [];
            await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
            var rows = (await ProgressData.UnitsAsync(connection, roundId)).ToDictionary(row => row.UnitId);
            var fields = (await ProgressData.FieldsAsync(connection, roundId)).ToLookup(row => row.UnitId);

            var progress = units.Select(unit =>
            {
                var id = Guid.Parse(unit.Id);
                var row = rows.GetValueOrDefault(id);
                return new UnitProgress(id, unit.Name, row?.AssessmentId, row?.Status ?? NotStarted, row?.Items ?? 0, row?.Scored ?? 0,
                    row?.MissingEvidence ?? 0,
                    fields[id].Select(field => Shown(field, Figures.DecimalsOf(row?.ScoreStep))).ToList());
            }).ToList();
            var notSubmitted = progress.Where(unit => unit.Status is NotStarted or AssessmentStatus.Draft).Select(unit => unit.UnitId).ToList();
            return TypedResults.Ok(new RoundProgress(roundId, units.Count, notSubmitted, progress));
        });

    // A field's sums in the shape of the unit's assessment (AssessmentFigures).
    private static FieldScore Shown(FieldScoreRow field, int decimals) =>
        new(field.FieldCode, field.FieldName, Figures.Shown(field.MaxPoints, decimals),
            AssessmentFigures.Shown(field.SelfScore, decimals), AssessmentFigures.Shown(field.AppraisedScore, decimals));
}
