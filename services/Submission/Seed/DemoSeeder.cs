using Grpc.Core;
using Npgsql;
using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.Contracts.Events;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Messaging;
using ParPlatform.Submission.Criteria;
using ParPlatform.Submission.Data;

namespace ParPlatform.Submission.Seed;

/// <summary>
/// Demo data for the AppHost (<c>Seed:Demo=true</c>): Quảng Ninh's 2024 rounds as they stand after appraisal. Every
/// unit of each round has a finalised self-assessment, with self and appraised scores, explanations, an audit trail
/// and its AppraisalFinalized event through the outbox, so the ranking service computes the 2024 results from them
/// the same way it does for real ones. It waits for the criteria service (which seeds the rounds) and inserts only
/// where missing, so restarts and replicas leave exactly one copy.
/// </summary>
internal sealed class DemoSeeder(TenantDataSource dataSource, CriteriaClient catalog, TimeProvider clock, ILogger<DemoSeeder> logger)
    : BackgroundService
{
    private const string SeedUser = "demo-seed";
    private const string SeedRole = "system";

    // The criteria service's demo rounds (services/Criteria/Seed/SeedIds.cs).
    private static readonly Guid[] Rounds =
    [
        Guid.Parse("30000000-0000-4000-8000-000000000001"), // departments 2024
        Guid.Parse("30000000-0000-4000-8000-000000000003"), // districts 2024
    ];

    // How well each unit of a round did, in round order: a spread like the published provincial tables.
    private static readonly decimal[] Quality = [0.93m, 0.86m, 0.81m, 0.78m, 0.74m, 0.69m];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                var seeded = 0;
                foreach (var roundId in Rounds)
                {
                    seeded += await SeedRoundAsync(roundId, stoppingToken);
                }
                logger.LogInformation("Demo seed: {Count} finalised 2024 self-assessment(s) added", seeded);
                return;
            }
            catch (Exception exception) when (exception is RpcException or CriteriaUnavailableException or NpgsqlException && attempt < 60)
            {
                // The criteria service starts alongside this one; its demo rounds appear once it is up.
                logger.LogDebug(exception, "Demo seed waits for the criteria service (attempt {Attempt})", attempt);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    private async Task<int> SeedRoundAsync(Guid roundId, CancellationToken cancellationToken)
    {
        var round = await catalog.GetRoundAsync(roundId, cancellationToken)
            ?? throw new RpcException(new Status(StatusCode.Unavailable, $"Demo round {roundId} not seeded yet"));
        var units = (await catalog.ListRoundUnitsAsync(roundId, cancellationToken) ?? []).OrderBy(unit => unit.Code, StringComparer.Ordinal).ToList();
        var set = await catalog.GetCriteriaSetAsync(round.CriteriaSetId, cancellationToken)
            ?? throw new RpcException(new Status(StatusCode.Unavailable, $"The criteria set of demo round {roundId} is not there yet"));
        var seeded = 0;
        for (var i = 0; i < units.Count; i++)
        {
            if (await SeedAssessmentAsync(round, set, units[i], Quality[i % Quality.Length], cancellationToken))
            {
                seeded++;
            }
        }
        return seeded;
    }

    private async Task<bool> SeedAssessmentAsync(Round round, CriteriaSet set, EvaluatedUnit unit, decimal quality, CancellationToken cancellationToken)
    {
        var unitId = Guid.Parse(unit.Id);
        var roundId = Guid.Parse(round.Id);
        var started = round.SelfAssessmentOpensAt.ToDateTimeOffset();
        var finalized = round.AppraisalClosesAt.ToDateTimeOffset();
        var step = CriteriaClient.ParseDecimal(set.ScoreStep) ?? 0.25m;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var assessment = new Assessment(Guid.CreateVersion7(), roundId, round.TenantId, unitId, Guid.Parse(set.Id), step,
            AssessmentStatus.Finalized, 1, 1, started, finalized, CriteriaClient.ParseDecimal(set.BonusCap), CriteriaClient.ParseDecimal(set.PenaltyCap));
        var items = AppraisedItems.Of(set, unit.NotApplicableCodes);
        if (!await AssessmentData.CreateAsync(connection, transaction, assessment, items))
        {
            return false; // seeded before, or the unit started its own
        }

        var scores = new List<AppraisedItemScore>();
        foreach (var item in items)
        {
            var share = Math.Clamp(quality + Jitter(unit.Id, item.Code), 0m, 1m);
            var appraised = Points(item, share, step);
            var self = Points(item, Math.Min(1m, share + 0.08m), step);
            var explanation = item.EvidenceRequired ? "Tài liệu kiểm chứng lưu tại đơn vị (dữ liệu minh họa)." : null;
            await AssessmentData.UpdateSelfAsync(connection, transaction, assessment.Id, item.Code, null, self, explanation, [], SeedUser, started);
            var comment = appraised < self ? "Chưa đủ căn cứ cho toàn bộ điểm tự chấm (minh họa)." : null;
            await AssessmentData.UpdateAppraisalAsync(connection, transaction, assessment.Id, item.Code, null, 0, 1, appraised, comment, SeedUser, SeedUser, finalized);
            scores.Add(new AppraisedItemScore(item.Code, appraised));
        }
        await AssessmentData.AppendAuditAsync(connection, transaction, assessment.Id,
            new AuditEntry(0, clock.GetUtcNow(), SeedUser, SeedUser, SeedRole, null, "status", null, AssessmentStatus.Finalized,
                "Dữ liệu minh họa: kết quả thẩm định năm 2024 (demo seed)"));
        await Outbox.EnqueueAsync(connection, transaction, new AppraisalFinalized(
            assessment.Id, roundId, round.TenantId, unitId, assessment.Revision, finalized, scores));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>A stable per-unit, per-item deviation of -0.15..+0.15, so fields differ and reruns agree.</summary>
    private static decimal Jitter(string unitId, string code)
    {
        var hash = 17;
        foreach (var character in unitId + "/" + code)
        {
            hash = unchecked(hash * 31 + character);
        }
        return ((hash & 0x7fffffff) % 31 - 15) / 100m;
    }

    private static decimal Points(ItemDefinition item, decimal share, decimal step)
    {
        if (item.MaxPoints <= 0 || item.Kind != ItemKind.Regular)
        {
            return 0m; // the demo units earned no bonus and incurred no deduction
        }
        var raw = item.MaxPoints * share;
        return Math.Clamp(Math.Round(raw / step, MidpointRounding.AwayFromZero) * step, item.MinPoints, item.MaxPoints);
    }
}
