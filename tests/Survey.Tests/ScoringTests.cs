using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using ParPlatform.Contracts.Events;
using ParPlatform.Contracts.Survey.V1;
using ParPlatform.Survey.Apis;
using ParPlatform.Survey.Data;
using ParPlatform.Survey.Intake;

namespace ParPlatform.Survey.Tests;

[Collection(SurveyCollection.Name)]
public sealed class ScoringTests(SurveyFixture fixture)
{
    private static readonly Guid Unit = TestCriteria.Units[3];

    [Fact]
    public async Task Unit_points_follow_the_documented_formula_over_rest_grpc_and_the_event()
    {
        ResponseInput[] responses =
        [
            fixture.Citizen("score-c1", Unit, "A", "C", 5),   // 8.1.1: 1.0, 0.2   8.1.2: 0.5
            fixture.Citizen("score-c2", Unit, "B", "B"),      // 8.1.1: 0.6, 0.6
            Leader("score-l1", "A"),                          // 8.1.2: 1.0
            Leader("score-l2", "C"),                          // 8.1.2: 0.2
        ];
        var reply = await fixture.Operator.PostAsJsonAsync("/api/survey/responses/batch", new BatchRequest(responses), SurveyFixture.Json);
        Assert.Equal(4, (await reply.Content.ReadFromJsonAsync<BatchResult>(SurveyFixture.Json))!.Accepted);
        await fixture.DrainedAsync();

        // 8.1.1: citizens only, mean (1 + 0.2 + 0.6 + 0.6) / 4 = 0.6 -> 2.5 x 0.6 = 1.5; 2 responses < minimum 3.
        // 8.1.2: citizens 0.5 (weight 1), leaders 0.6 (weight 2): (0.5 + 1.2) / 3 -> 3 x 0.5667 = 1.7.
        var scores = (await fixture.Operator.GetFromJsonAsync<List<Data.UnitScores>>(
            $"/api/survey/rounds/{TestCriteria.OpenRound}/scores?unitId={Unit}", SurveyFixture.Json))!.Single();
        Assert.Equal([("8.1.1", 1.5m, 2L, true), ("8.1.2", 1.7m, 3L, true)],
            scores.Items.Select(item => (item.SubCriterionCode, item.Points, item.SampleSize, item.BelowMinimumSample)));

        var client = new SurveyService.SurveyServiceClient(fixture.Survey.CreateGrpcChannel());
        var grpc = await client.GetUnitScoresAsync(
            new GetUnitScoresRequest { RoundId = TestCriteria.OpenRound.ToString(), UnitId = Unit.ToString() }, fixture.OperatorCaller.GrpcHeaders());
        Assert.Equal(["1.5", "1.7"], grpc.Items.Select(item => item.Points));
        Assert.Equal(scores.Sequence, grpc.Sequence);

        await using var connection = await fixture.Database.OpenConnectionAsync();
        var events = (await connection.QueryAsync<string>(
            "SELECT body::text FROM outbox_messages WHERE message_type = @type AND body->>'UnitId' = @unit",
            new { type = MessageNames.NameOf(typeof(SurveyScoresUpdated)), unit = Unit.ToString() }))
            .Select(body => JsonSerializer.Deserialize<SurveyScoresUpdated>(body)!).OrderBy(e => e.Sequence).ToList();
        Assert.NotEmpty(events);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal([1.5m, 1.7m], events[^1].Items.Select(item => item.Points));
    }

    [Fact]
    public async Task Aggregates_equal_a_recomputation_from_the_stored_rows()
    {
        var items = Enumerable.Range(0, 300).Select(i => fixture.Citizen(
            $"recompute-{i}", TestCriteria.Units[4 + i % 2],
            "ABCD"[i % 4].ToString(), "ABCD"[i / 4 % 4].ToString(), i % 3 == 0 ? i % 11 : null)).ToList();
        foreach (var chunk in items.Chunk(100))
        {
            (await fixture.Operator.PostAsJsonAsync("/api/survey/responses/batch", new BatchRequest(chunk), SurveyFixture.Json)).EnsureSuccessStatusCode();
        }
        await fixture.DrainedAsync();

        await using var connection = await fixture.Database.OpenConnectionAsync();
        const string Stored = "SELECT unit_id, questionnaire_id, sub_criterion_code, responses, answers, score_sum FROM answer_aggregates";
        const string Recomputed =
            """
            SELECT r.unit_id, r.questionnaire_id, s.code, count(DISTINCT r.response_id), count(*), sum(s.score)
            FROM responses r CROSS JOIN LATERAL unnest(r.sub_criteria, r.scores) AS s(code, score)
            GROUP BY r.unit_id, r.questionnaire_id, s.code
            """;
        var difference = await connection.ExecuteScalarAsync<long>(
            $"SELECT count(*) FROM (({Stored} EXCEPT {Recomputed}) UNION ALL ({Recomputed} EXCEPT {Stored})) d");
        Assert.Equal(0, difference);
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM answer_aggregates") > 0);
    }

    [Fact]
    public async Task Ops_endpoint_shows_no_backlog_once_drained()
    {
        await fixture.DrainedAsync();
        var status = (await fixture.Operator.GetFromJsonAsync<IntakeStatus>("/api/survey/ops/intake", SurveyFixture.Json))!;
        Assert.Equal(0, status.Backlog);
        Assert.Equal(status.Accepted, status.Stored);
        Assert.Equal(0, status.ErrorQueueDepth);
    }

    private ResponseInput Leader(string id, string option) =>
        new(id, fixture.Leaders, Unit, [new AnswerInput("L1", option)]);
}
