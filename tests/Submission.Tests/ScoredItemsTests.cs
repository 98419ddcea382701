using System.Text.Json;
using Dapper;
using Npgsql;
using static ParPlatform.Submission.Tests.TestCriteria;
using static ParPlatform.Submission.Tests.TestPlatform;

namespace ParPlatform.Submission.Tests;

/// <summary>
/// A set shaped like the real ones: scored criteria without sub-criteria (codes "2.1"), bonus items (9.x) and penalty
/// items (10.x). Every one of them is an item of the assessment, self-scored and appraised within its bounds and the
/// set's caps, and the finalised scores carry them to the ranking.
/// </summary>
public sealed class ScoredItemsTests : PlatformTest
{
    [Fact]
    public async Task Criteria_without_sub_criteria_bonus_and_penalty_items_are_scored_appraised_and_announced()
    {
        var assessment = await Platform.StartAsync(round: RealShapedRoundId);
        Assert.Equal(RealShapedCodes, assessment.Items.Select(item => item.Code));
        Assert.Equal(["regular", "regular", "bonus", "bonus", "penalty", "penalty"], assessment.Items.Select(item => item.Kind));
        Assert.Equal((0m, -1m), (assessment.Item("10.1").MaxPoints, assessment.Item("10.1").MinPoints));
        var id = assessment.Id;

        await (await Platform.ScoreAsync(id, "1.1.1", 1m, explanation: "Kế hoạch số 12/KH-STP")).ReadAsync<ItemDto>();
        await (await Platform.ScoreAsync(id, "2.1", 2.75m, explanation: "Báo cáo một cửa")).ReadAsync<ItemDto>();
        await (await Platform.ScoreAsync(id, "2.1", 3.25m)).ProblemAsync(422, "urn:par:submission:score-out-of-range");

        // Bonus: each item up to its maximum, all of them together up to the set's cap (1.5).
        await (await Platform.ScoreAsync(id, "9.1", 1m, explanation: "Bằng khen của UBND tỉnh")).ReadAsync<ItemDto>();
        var overCap = await (await Platform.ScoreAsync(id, "9.2", 1m, explanation: "Sáng kiến")).ProblemAsync(422, "urn:par:submission:bonus-cap-exceeded");
        Assert.Contains("1.5", overCap.GetProperty("detail").GetString());
        await (await Platform.ScoreAsync(id, "9.2", 0.5m, explanation: "Sáng kiến")).ReadAsync<ItemDto>();

        // Penalty: entered as a deduction, a negative number down to the item's limit (-1); together down to the cap.
        var positive = await (await Platform.ScoreAsync(id, "10.1", 0.5m)).ProblemAsync(422, "urn:par:submission:score-out-of-range");
        Assert.Contains("negative", positive.GetProperty("detail").GetString());
        await (await Platform.ScoreAsync(id, "10.1", -1.25m)).ProblemAsync(422, "urn:par:submission:score-out-of-range");
        await (await Platform.ScoreAsync(id, "10.1", -1m)).ReadAsync<ItemDto>();
        await (await Platform.ScoreAsync(id, "10.2", -0.75m)).ProblemAsync(422, "urn:par:submission:penalty-cap-exceeded");
        await (await Platform.ScoreAsync(id, "10.2", -0.5m)).ReadAsync<ItemDto>();

        await (await Platform.SubmissionAs(Officer1).PostAsync($"/api/submission/assessments/{id}/submit", null)).ReadAsync<AssessmentDto>();
        await (await Platform.SubmissionAs(Leader1).PostAsync($"/api/submission/assessments/{id}/approve", null)).ReadAsync<AssessmentDto>();
        Platform.Clock.SetUtcNow(SelfAssessmentCloses.AddHours(1));
        await (await Platform.SubmissionAs(Appraiser).PostAsync($"/api/submission/assessments/{id}/appraisal/start", null)).ReadAsync<AssessmentDto>();

        // The appraiser scores them too, under the same bounds and caps (what counts: appraised, else the self score).
        await (await Platform.AppraiseAsync(id, "2.1", 2.5m)).ReadAsync<ItemDto>();
        await (await Platform.AppraiseAsync(id, "9.2", 1m)).ProblemAsync(422, "urn:par:submission:bonus-cap-exceeded");
        await (await Platform.AppraiseAsync(id, "9.1", 0.5m, "Khen thưởng cấp sở, không phải cấp tỉnh")).ReadAsync<ItemDto>();
        await (await Platform.AppraiseAsync(id, "9.2", 1m, "Sáng kiến được nhân rộng")).ReadAsync<ItemDto>();
        await (await Platform.AppraiseAsync(id, "10.1", 0.25m)).ProblemAsync(422, "urn:par:submission:score-out-of-range");
        await (await Platform.AppraiseAsync(id, "10.1", -0.75m)).ReadAsync<ItemDto>();
        var finalized = await (await Platform.SubmissionAs(Appraiser).PostAsync($"/api/submission/assessments/{id}/appraisal/finalize", null))
            .ReadAsync<AssessmentDto>();
        Assert.Equal("Finalized", finalized.Status);

        // AppraisalFinalized carries every item, penalties as negative deductions (the ranking counts their magnitude).
        await using var connection = new NpgsqlConnection(Platform.Submission!.SuperuserConnectionString);
        var body = await connection.QuerySingleAsync<string>(
            "SELECT body::text FROM outbox_messages WHERE message_type = 'par.submission.appraisal-finalized.v1'");
        var items = JsonDocument.Parse(body).RootElement.GetProperty("Items").EnumerateArray()
            .Select(item => (item.GetProperty("SubCriterionCode").GetString(), item.GetProperty("AppraisedScore").GetDecimal())).ToList();
        Assert.Equal([("1.1.1", 1m), ("2.1", 2.5m), ("9.1", 0.5m), ("9.2", 1m), ("10.1", -0.75m), ("10.2", -0.5m)], items);
    }
}
