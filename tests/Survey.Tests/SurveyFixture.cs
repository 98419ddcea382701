using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using ParPlatform.Contracts;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.Survey.Intake;
using ParPlatform.Survey.Questionnaires;
using ParPlatform.Testing;

namespace ParPlatform.Survey.Tests;

[CollectionDefinition(Name)]
public sealed class SurveyCollection : ICollectionFixture<SurveyFixture>
{
    public const string Name = "survey";
}

/// <summary>
/// One survey service (API and worker) on real PostgreSQL and RabbitMQ, a real gRPC criteria stand-in, a fake clock
/// inside the open survey window, and three published questionnaires.
/// </summary>
public sealed class SurveyFixture : IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero));
    public TestInfrastructure Infrastructure { get; private set; } = null!;
    public FakeCriteriaServer Criteria { get; private set; } = null!;
    public ServiceHost<Program> Survey { get; private set; } = null!;
    public NpgsqlDataSource Database { get; private set; } = null!;
    public HttpClient Operator { get; private set; } = null!;
    public TestCaller OperatorCaller { get; } = new("operator-1", PlatformRoles.SurveyOperator, TestCriteria.Tenant);
    public Guid Citizens { get; private set; }
    public Guid Leaders { get; private set; }
    public Guid ClosedRoundQuestionnaire { get; private set; }

    /// <summary>Civil servants: A-D options next to a 1-10, a 0-1000 and a half-step scale (scores such as 7/9).</summary>
    public Guid Mixed { get; private set; }

    public async Task InitializeAsync()
    {
        Infrastructure = await TestInfrastructure.SharedAsync(SpareSurveyWorker.Declare);
        var connectionString = await Infrastructure.CreateDatabaseAsync("survey");
        Criteria = await TestCriteria.StartAsync();
        Survey = new ServiceHost<Program>(
            Infrastructure, ResourceNames.SurveyDb, connectionString,
            new Dictionary<string, string> { [$"services:{ResourceNames.Criteria}:grpc:0"] = Criteria.Address.ToString() },
            services => services.AddSingleton<TimeProvider>(Clock)).Start();
        Database = NpgsqlDataSource.Create(Infrastructure.AsSuperuser(connectionString));
        Operator = OperatorCaller.Client(Survey.HttpAddress);

        Citizens = await PublishAsync(CitizensDefinition(TestCriteria.OpenRound));
        Leaders = await PublishAsync(new QuestionnaireDefinition(
            TestCriteria.OpenRound, RespondentGroups.Leaders, "Phiếu lãnh đạo, quản lý",
            [new Question("L1", "Công chức có thái độ đúng mực?", "8.1.2", Options: Abcd())], GroupWeight: 2, MinimumSample: 2));
        ClosedRoundQuestionnaire = await PublishAsync(CitizensDefinition(TestCriteria.ClosedRound));
        Mixed = await PublishAsync(new QuestionnaireDefinition(
            TestCriteria.OpenRound, RespondentGroups.CivilServants, "Phiếu khảo sát công chức",
            [
                new Question("M1", "Thủ tục được công khai?", "8.1.1", Options: Abcd()),
                new Question("M2", "Mức độ hài lòng (1-10)", "8.1.1", Scale: new NumericScale(1, 10)),
                new Question("M3", "Thời gian chờ được đánh giá (0-1000)", "8.1.2", Required: false, Scale: new NumericScale(0, 1000)),
                new Question("M4", "Đánh giá chung (1-5, bước 0,5)", "8.1.2", Required: false, Scale: new NumericScale(1, 5)),
            ],
            MinimumSample: 5));
    }

    public static QuestionnaireDefinition CitizensDefinition(Guid roundId) => new(
        roundId, RespondentGroups.Citizens, "Phiếu khảo sát người dân, tổ chức",
        [
            new Question("Q1", "Thủ tục hành chính được niêm yết công khai, đầy đủ?", "8.1.1", Options: Abcd()),
            new Question("Q2", "Ông/bà có được hướng dẫn rõ ràng?", "8.1.1", Options: Abcd()),
            new Question("Q3", "Mức độ hài lòng (0-10)", "8.1.2", Required: false, Scale: new NumericScale(0, 10)),
        ],
        MinimumSample: 3,
        Demographics: [new DemographicField("sex", ["Nam", "Nữ"]), new DemographicField("age", ["18-30", "31-45", "46-60", "60+"])]);

    public static IReadOnlyList<AnswerOption> Abcd() =>
        [new("A", "Rất tốt", 100), new("B", "Tốt", 60), new("C", "Trung bình", 20), new("D", "Kém", 0)];

    public async Task<Guid> PublishAsync(QuestionnaireDefinition definition)
    {
        var created = await Operator.PostAsJsonAsync("/api/survey/questionnaires", definition, Json);
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<Questionnaire>(Json))!.Id;
        (await Operator.PostAsync($"/api/survey/questionnaires/{id}/publish", null)).EnsureSuccessStatusCode();
        return id;
    }

    public ResponseInput Citizen(string id, Guid unit, string q1 = "A", string q2 = "B", decimal? q3 = null, string? sex = null)
    {
        List<AnswerInput> answers = [new("Q1", q1), new("Q2", q2)];
        if (q3 is { } value)
        {
            answers.Add(new AnswerInput("Q3", Value: value));
        }
        return new ResponseInput(id, Citizens, unit, answers, sex is null ? null : new Dictionary<string, string> { ["sex"] = sex });
    }

    /// <summary>A response to <see cref="Mixed"/>; <paramref name="m3"/> and <paramref name="m4"/> are optional.</summary>
    public ResponseInput CivilServant(string id, Guid unit, string m1, decimal m2, decimal? m3 = null, decimal? m4 = null)
    {
        List<AnswerInput> answers = [new("M1", m1), new("M2", Value: m2)];
        if (m3 is { } wait)
        {
            answers.Add(new AnswerInput("M3", Value: wait));
        }
        if (m4 is { } overall)
        {
            answers.Add(new AnswerInput("M4", Value: overall));
        }
        return new ResponseInput(id, Mixed, unit, answers);
    }

    /// <summary>Rows of answer_aggregates that differ from a recomputation from the stored responses (0 when they agree).</summary>
    public async Task<long> AggregateDifferencesAsync()
    {
        await using var connection = await Database.OpenConnectionAsync();
        const string Stored = "SELECT unit_id, questionnaire_id, sub_criterion_code, responses, answers, score_sum FROM answer_aggregates";
        const string Recomputed =
            """
            SELECT r.unit_id, r.questionnaire_id, s.code, count(DISTINCT r.response_id), count(*), sum(s.score)
            FROM responses r CROSS JOIN LATERAL unnest(r.sub_criteria, r.scores) AS s(code, score)
            GROUP BY r.unit_id, r.questionnaire_id, s.code
            """;
        return await connection.ExecuteScalarAsync<long>(
            $"SELECT count(*) FROM (({Stored} EXCEPT {Recomputed}) UNION ALL ({Recomputed} EXCEPT {Stored})) d");
    }

    public async Task<long> StoredCountAsync(string idPrefix)
    {
        await using var connection = await Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM responses WHERE response_id LIKE @pattern", new { pattern = idPrefix + "%" });
    }

    public async Task<List<string>> StoredIdsAsync(string idPrefix)
    {
        await using var connection = await Database.OpenConnectionAsync();
        return (await connection.QueryAsync<string>(
            "SELECT response_id FROM responses WHERE response_id LIKE @pattern ORDER BY response_id", new { pattern = idPrefix + "%" })).ToList();
    }

    /// <summary>Waits until every accepted response is stored (the queue is drained).</summary>
    public Task DrainedAsync() => Eventually.TrueAsync(async () =>
    {
        await using var connection = await Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "SELECT (SELECT count(*) FROM intake_receipts) = (SELECT count(*) FROM responses)");
    }, TimeSpan.FromSeconds(60), "every accepted response stored");

    public async Task DisposeAsync()
    {
        Operator.Dispose();
        await Survey.DisposeAsync();
        await Criteria.DisposeAsync();
        await Database.DisposeAsync();
    }
}
