using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ParPlatform.Contracts;
using ParPlatform.ServiceDefaults;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.Survey.Apis;
using ParPlatform.Survey.Consumers;
using ParPlatform.Survey.Data;
using ParPlatform.Survey.Intake;
using ParPlatform.Survey.Questionnaires;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace ParPlatform.Survey.Tests;

/// <summary>
/// Issue 11, section 1: nothing accepted is lost. Random questionnaires (any percents, 1-10, 0-1000 and half-step
/// scales, optional questions) with 10,000 responses per unit are all stored and aggregate exactly; a response that
/// cannot be stored is dead-lettered alone with its reason and replayed once fixed; unstored responses raise the
/// intake alarm, which is exported as a metric.
/// </summary>
[Collection(SurveyCollection.Name)]
public sealed class IntakeIntegrityTests(SurveyFixture fixture, ITestOutputHelper output)
{
    private const int ResponsesPerUnit = 10_000;
    private static readonly string[] SurveyItems = ["8.1.1", "8.1.2", "8.2"];
    private static readonly TestCaller National = new("national-1", PlatformRoles.NationalAdmin, PlatformClaims.NationalTenant);

    private sealed record Scale(decimal Min, decimal Max, decimal Step);

    private static readonly Scale[] Scales =
        [new(1, 10, 1), new(0, 1000, 1), new(0, 1000, 0.001m), new(1, 5, 0.5m), new(0, 7, 0.5m), new(-3, 3, 0.25m), new(0, 1, 0.01m)];

    [Fact]
    public async Task Random_questionnaires_store_every_accepted_response_and_aggregate_exactly()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SURVEY_PROPERTY_SEED"), out var given) ? given : Random.Shared.Next();
        output.WriteLine($"seed {seed} (SURVEY_PROPERTY_SEED={seed} repeats this run)");
        var random = new Random(seed);
        var groups = RespondentGroups.All.OrderBy(group => group, StringComparer.Ordinal).ToList();
        var questionnaires = new List<Questionnaire>();
        var steps = new Dictionary<string, decimal>();
        for (var q = 0; q < 3; q++)
        {
            var definition = RandomQuestionnaire(random, groups[q], q, steps);
            var id = await fixture.PublishAsync(definition);
            questionnaires.Add((await fixture.Operator.GetFromJsonAsync<Questionnaire>($"/api/survey/questionnaires/{id}", SurveyFixture.Json))!);
        }
        Guid[] units = [TestCriteria.OwnUnits[0], TestCriteria.OwnUnits[1]];
        var prefix = $"property-{seed}-";
        var inputs = new List<ResponseInput>();
        foreach (var unit in units)
        {
            for (var i = 0; i < ResponsesPerUnit; i++)
            {
                inputs.Add(RandomResponse(random, $"{prefix}{unit:N}-{i}", questionnaires[random.Next(questionnaires.Count)], unit, steps));
            }
        }

        var outcomes = new ConcurrentBag<ItemResult>();
        var batches = new ConcurrentQueue<ResponseInput[]>(inputs.Chunk(IntakeService.MaxBatch));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (batches.TryDequeue(out var batch))
            {
                var reply = await fixture.Operator.PostAsJsonAsync("/api/survey/responses/batch", new BatchRequest(batch), SurveyFixture.Json);
                reply.EnsureSuccessStatusCode();
                foreach (var item in (await reply.Content.ReadFromJsonAsync<BatchResult>(SurveyFixture.Json))!.Items)
                {
                    outcomes.Add(item);
                }
            }
        })));
        Assert.All(outcomes, outcome => Assert.True(outcome.Outcome == Outcomes.Accepted, $"{outcome.ResponseId}: {outcome.Reason} {outcome.Detail}"));
        Assert.Equal(inputs.Count, outcomes.Count);

        await fixture.DrainedAsync();
        Assert.Equal(inputs.Count, await fixture.StoredCountAsync(prefix));
        Assert.Equal(0, await fixture.AggregateDifferencesAsync());

        // The points read back agree with the formula applied to what was sent, in exact decimal arithmetic: no sum
        // overflowed and no mean lost more than the 12 decimals a score is defined to.
        var byId = questionnaires.ToDictionary(q => q.Id);
        foreach (var unit in units)
        {
            var scores = (await fixture.Operator.GetFromJsonAsync<List<UnitScores>>(
                $"/api/survey/rounds/{TestCriteria.OpenRound}/scores?unitId={unit}", SurveyFixture.Json))!.Single();
            var expected = inputs.Where(input => input.UnitId == unit)
                .SelectMany(input => input.Answers!.Select(answer => (input.QuestionnaireId, input.ResponseId, Answer: answer,
                    Question: byId[input.QuestionnaireId].FindQuestion(answer.Question)!)))
                .GroupBy(a => (a.Question.SubCriterionCode, a.QuestionnaireId))
                .ToDictionary(g => g.Key, g => (
                    Responses: g.Select(a => a.ResponseId).Distinct().Count(),
                    Answers: g.Count(),
                    Mean: g.Sum(a => ExactScore(a.Question, a.Answer)) / g.Count()));
            var actual = scores.Items.SelectMany(item => item.Groups.Select(group => (item.SubCriterionCode, group))).ToList();
            Assert.Equal(expected.Count, actual.Count);
            foreach (var (code, group) in actual)
            {
                var want = expected[(code, group.QuestionnaireId)];
                Assert.Equal((want.Responses, (long)want.Answers), ((int)group.Responses, group.Answers));
                Assert.True(Math.Abs(want.Mean - group.MeanScore) < 1e-12m, $"{code}/{group.RespondentGroup}: mean {group.MeanScore}, exact {want.Mean}");
            }
        }
    }

    [Fact]
    public async Task A_response_that_cannot_be_stored_is_dead_lettered_alone_with_its_reason_and_replayed_once_fixed()
    {
        var unit = TestCriteria.OwnUnits[2];
        await using (var connection = await fixture.Database.OpenConnectionAsync())
        {
            // The cause: a database rule that refuses two responses (as a corrupt row or a constraint would).
            await connection.ExecuteAsync(
                """
                CREATE OR REPLACE FUNCTION test_refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.response_id LIKE 'isolate-poison-%' THEN
                        RAISE EXCEPTION 'response % refused by the test rule', NEW.response_id;
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER test_refuse_poison BEFORE INSERT ON responses FOR EACH ROW EXECUTE FUNCTION test_refuse_poison();
                """);
        }
        try
        {
            var batch = Enumerable.Range(0, 200).Select(i => i is 57 or 140
                    ? fixture.CivilServant($"isolate-poison-{i}", unit, "A", 8, 700)
                    : fixture.CivilServant($"isolate-good-{i:D3}", unit, "ABCD"[i % 4].ToString(), 1 + i % 10, i % 3 == 0 ? i * 5 : null, 1 + i % 9 * 0.5m))
                .ToArray();
            var reply = await fixture.Operator.PostAsJsonAsync("/api/survey/responses/batch", new BatchRequest(batch), SurveyFixture.Json);
            Assert.Equal(200, (await reply.Content.ReadFromJsonAsync<BatchResult>(SurveyFixture.Json))!.Accepted);

            // The 198 innocent responses of the batch are stored; only the two refused ones reach the error queue.
            await Eventually.TrueAsync(async () => await fixture.StoredCountAsync("isolate-good-") == 198
                && (await IntakeStatusAsync(fixture.Operator)).ErrorQueueDepth == 2, TimeSpan.FromSeconds(60), "innocents stored, poison dead-lettered");
            Assert.Equal(0, await fixture.StoredCountAsync("isolate-poison-"));
            var deadLettered = await PeekErrorQueueAsync();
            Assert.Equal(["isolate-poison-140", "isolate-poison-57"], deadLettered.Select(m => m.ResponseId).Order(StringComparer.Ordinal));
            Assert.All(deadLettered, m => Assert.Contains($"response {m.ResponseId} refused by the test rule", m.Reason));

            var status = await IntakeStatusAsync(fixture.Operator);
            Assert.True(status.Alarm);
            Assert.Contains(status.Alarms!, alarm => alarm.Code == "error-queue-not-empty");
            var receipt = await fixture.Operator.GetFromJsonAsync<StoredReceipt>("/api/survey/responses/isolate-poison-57", SurveyFixture.Json);
            Assert.False(receipt!.Stored);

            // Only operators replay, and a tenant's operator only its own tenant's messages.
            using var viewer = new TestCaller("viewer-1", PlatformRoles.Viewer, TestCriteria.Tenant).Client(fixture.Survey.HttpAddress);
            Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/survey/ops/error-queue/replay", null)).StatusCode);
            using var otherProvince = new TestCaller("op-qn", PlatformRoles.SurveyOperator, "prov-quang-ninh").Client(fixture.Survey.HttpAddress);
            Assert.Equal(new ReplayResult(0, 2, 2), await ReplayAsync(otherProvince));
            Assert.Equal(0, await fixture.StoredCountAsync("isolate-poison-"));
        }
        finally
        {
            await using var connection = await fixture.Database.OpenConnectionAsync();
            await connection.ExecuteAsync("DROP TRIGGER IF EXISTS test_refuse_poison ON responses; DROP FUNCTION IF EXISTS test_refuse_poison();");
        }

        // The cause is fixed: the replay stores each of them exactly once, and a second replay changes nothing.
        Assert.Equal(new ReplayResult(2, 0, 0), await ReplayAsync(fixture.Operator));
        await fixture.DrainedAsync();
        Assert.Equal(new ReplayResult(0, 0, 0), await ReplayAsync(fixture.Operator));
        Assert.Equal(["isolate-poison-140", "isolate-poison-57"], await fixture.StoredIdsAsync("isolate-poison-"));
        Assert.Equal(0, await fixture.AggregateDifferencesAsync());
        var after = await IntakeStatusAsync(fixture.Operator);
        Assert.Equal((0L, 0L, false), (after.Backlog, after.ErrorQueueDepth, after.Alarm));
        Assert.True((await fixture.Operator.GetFromJsonAsync<StoredReceipt>("/api/survey/responses/isolate-poison-57", SurveyFixture.Json))!.Stored);
    }

    [Fact]
    public async Task A_message_accepted_before_scores_had_12_decimals_is_stored_rounded_and_aggregates_agree()
    {
        var unit = TestCriteria.OwnUnits[3];
        var acceptedAt = fixture.Clock.GetUtcNow();
        // As the old validator computed it (still in the queues during an upgrade, or in the error queue to replay): 8 on
        // the 1-10 scale as a 28-decimal fraction; 30 of them sum past 8. The numeric(13,12)[] column rounds it.
        var responses = Enumerable.Range(0, 30).Select(i => new SubmittedResponse(
            $"pre-v3-{i:D2}", Guid.NewGuid(), fixture.Mixed, TestCriteria.OpenRound, unit, RespondentGroups.CivilServants,
            $"hash-{i}", ["M1", "M2"], ["A", "8"], ["8.1.1", "8.1.1"], [1m, 7m / 9m], new Dictionary<string, string>(), "rest", acceptedAt)).ToList();
        await using var connection = await fixture.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO intake_receipts (tenant_id, response_id, content_hash, receipt_id, questionnaire_id, unit_id, channel, accepted_at)
            SELECT @tenant, id, 'hash', gen_random_uuid(), @questionnaire, @unit, 'rest', @acceptedAt FROM unnest(@ids) AS id
            """,
            new { tenant = TestCriteria.Tenant, questionnaire = fixture.Mixed, unit, acceptedAt, ids = responses.Select(r => r.ResponseId).ToArray() });
        var bus = fixture.Survey.Services.GetRequiredService<MassTransit.IBus>();
        var endpoint = await bus.GetSendEndpoint(new Uri($"exchange:{IntakeService.ResponsesQueue}"));
        await endpoint.Send(SurveyResponsesSubmitted.Of(TestCriteria.Tenant, responses));

        await fixture.DrainedAsync();
        Assert.Equal(30, await fixture.StoredCountAsync("pre-v3-"));
        Assert.Equal(0.777777777778m, await connection.ExecuteScalarAsync<decimal>("SELECT scores[2] FROM responses WHERE response_id = 'pre-v3-00'"));
        Assert.Equal(0, await fixture.AggregateDifferencesAsync());
        Assert.Equal(30 + 30 * 0.777777777778m, await connection.ExecuteScalarAsync<decimal>(
            "SELECT score_sum FROM answer_aggregates WHERE unit_id = @unit AND sub_criterion_code = '8.1.1'", new { unit }));
    }

    [Fact]
    public async Task An_accepted_response_that_never_arrives_raises_the_alarm_and_the_exported_metric()
    {
        await fixture.DrainedAsync();
        using var national = National.Client(fixture.Survey.HttpAddress);
        var quiet = await IntakeStatusAsync(national);
        Assert.False(quiet.Alarm, string.Join("; ", quiet.Alarms?.Select(a => a.Detail) ?? []));
        Assert.Equal(0, Gauge("par.survey.intake.alarm"));

        // A receipt whose message is gone (what the issue saw: the backlog growing with the queue empty).
        await using var connection = await fixture.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO intake_receipts (tenant_id, response_id, content_hash, receipt_id, questionnaire_id, unit_id, channel, accepted_at)
            VALUES (@tenant, 'lost-1', 'x', gen_random_uuid(), @questionnaire, @unit, 'rest', @acceptedAt)
            """,
            new { tenant = TestCriteria.Tenant, questionnaire = fixture.Mixed, unit = TestCriteria.OwnUnits[3],
                  acceptedAt = fixture.Clock.GetUtcNow() - IntakeMonitor.StoreGrace - TimeSpan.FromSeconds(1) });
        try
        {
            foreach (var client in new[] { national, fixture.Operator })
            {
                var status = await IntakeStatusAsync(client);
                Assert.Equal((1L, 1L, true), (status.Backlog, status.Unaccounted, status.Alarm));
                var alarm = Assert.Single(status.Alarms!);
                Assert.Equal("responses-unaccounted", alarm.Code);
            }
            using var otherProvince = new TestCaller("op-qn", PlatformRoles.SurveyOperator, "prov-quang-ninh").Client(fixture.Survey.HttpAddress);
            Assert.False((await IntakeStatusAsync(otherProvince)).Alarm);
            Assert.Equal(1, Gauge("par.survey.intake.alarm"));
            Assert.Equal(1, Gauge("par.survey.intake.unaccounted"));
        }
        finally
        {
            await connection.ExecuteAsync("DELETE FROM intake_receipts WHERE response_id = 'lost-1'");
        }
        Assert.False((await IntakeStatusAsync(national)).Alarm);
        Assert.Equal(0, Gauge("par.survey.intake.alarm"));
    }

    /// <param name="steps">Receives the answer step of each numeric question, by question code.</param>
    private static QuestionnaireDefinition RandomQuestionnaire(Random random, string group, int index, Dictionary<string, decimal> steps)
    {
        var questions = Enumerable.Range(1, random.Next(2, 8)).Select(n =>
        {
            var code = $"P{index}{n}";
            var item = SurveyItems[random.Next(SurveyItems.Length)];
            var required = random.Next(2) == 0;
            // The first two questions of each questionnaire cover the scales in turn (1-10 first: the case),
            // the others are drawn at random.
            if (n > 2 && random.Next(2) == 0)
            {
                var options = Enumerable.Range(0, random.Next(2, 6)).Select(o => new AnswerOption(
                    ((char)('A' + o)).ToString(), $"Phương án {o}", RandomPercent(random))).ToList();
                return new Question(code, $"Câu hỏi {code}", item, required, Options: options);
            }
            var scale = n <= 2 ? Scales[(index * 2 + n - 1) % Scales.Length] : Scales[random.Next(Scales.Length)];
            steps[code] = scale.Step;
            return new Question(code, $"Câu hỏi {code} ({scale.Min}-{scale.Max}, bước {scale.Step})", item, required, Scale: new NumericScale(scale.Min, scale.Max));
        }).ToList();
        return new QuestionnaireDefinition(TestCriteria.OpenRound, group, $"Phiếu ngẫu nhiên {index}", questions,
            GroupWeight: random.Next(1, 4), MinimumSample: 30);
    }

    /// <summary>Any percent an operator may type: whole, one or several decimals, thirds.</summary>
    private static decimal RandomPercent(Random random) => random.Next(4) switch
    {
        0 => random.Next(0, 101),
        1 => Math.Round((decimal)random.NextDouble() * 100, 1),
        2 => Math.Round((decimal)random.NextDouble() * 100, 5),
        _ => Math.Round(100m / random.Next(1, 10) * random.Next(0, 2), 4),
    };

    private static ResponseInput RandomResponse(
        Random random, string id, Questionnaire questionnaire, Guid unit, IReadOnlyDictionary<string, decimal> steps)
    {
        var answers = new List<AnswerInput>();
        foreach (var question in questionnaire.Definition.Questions)
        {
            if (!question.Required && random.Next(3) == 0)
            {
                continue;
            }
            if (question.Options is { } options)
            {
                answers.Add(new AnswerInput(question.Code, options[random.Next(options.Count)].Code));
            }
            else
            {
                var (scale, step) = (question.Scale!, steps[question.Code]);
                var count = (int)((scale.Max - scale.Min) / step);
                answers.Add(new AnswerInput(question.Code, Value: scale.Min + step * random.Next(0, count + 1)));
            }
        }
        return new ResponseInput(id, questionnaire.Id, unit, answers);
    }

    private static decimal ExactScore(Question question, AnswerInput answer) => question.Options is { } options
        ? options.Single(option => option.Code == answer.Option).Percent / 100m
        : (answer.Value!.Value - question.Scale!.Min) / (question.Scale.Max - question.Scale.Min);

    private static async Task<IntakeStatus> IntakeStatusAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<IntakeStatus>("/api/survey/ops/intake", SurveyFixture.Json))!;

    private static async Task<ReplayResult> ReplayAsync(HttpClient client)
    {
        var reply = await client.PostAsync("/api/survey/ops/error-queue/replay", null);
        reply.EnsureSuccessStatusCode();
        return (await reply.Content.ReadFromJsonAsync<ReplayResult>(SurveyFixture.Json))!;
    }

    /// <summary>The error queue's messages (left in place): the one response each holds and its reason header.</summary>
    private async Task<List<(string ResponseId, string Reason)>> PeekErrorQueueAsync()
    {
        var factory = new ConnectionFactory { Uri = new Uri(fixture.Infrastructure.MessagingConnectionString) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var found = new List<(string, string)>();
        var tags = new List<ulong>();
        while (await channel.BasicGetAsync(IntakeService.ErrorQueue, autoAck: false) is { } message)
        {
            tags.Add(message.DeliveryTag);
            using var envelope = JsonDocument.Parse(message.Body);
            var responses = ResponseBatchCodec.Decode(envelope.RootElement.GetProperty("message").GetProperty("responses").GetBytesFromBase64());
            var reason = Encoding.UTF8.GetString((byte[])message.BasicProperties.Headers![StoreResponsesConsumer.ReasonHeader]!);
            found.Add((Assert.Single(responses).ResponseId, reason));
        }
        foreach (var tag in tags)
        {
            await channel.BasicNackAsync(tag, multiple: false, requeue: true);
        }
        return found;
    }

    /// <summary>The value a platform gauge reports now, read the way an exporter reads it.</summary>
    private static long Gauge(string name)
    {
        long? value = null;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == PlatformTelemetry.MeterName && instrument.Name == name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, measurement, _, _) => value = measurement);
        listener.SetMeasurementEventCallback<int>((_, measurement, _, _) => value = measurement);
        listener.Start();
        listener.RecordObservableInstruments();
        return value ?? throw new InvalidOperationException($"no gauge {name}");
    }
}
