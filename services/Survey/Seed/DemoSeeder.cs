using Grpc.Core;
using Npgsql;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.Survey.Criteria;
using ParPlatform.Survey.Data;
using ParPlatform.Survey.Intake;
using ParPlatform.Survey.Questionnaires;

namespace ParPlatform.Survey.Seed;

/// <summary>
/// Demo data for the AppHost (<c>Seed:Demo=true</c>, API processes only): for each of Quảng Ninh's 2024 rounds a
/// published citizens' questionnaire (one question per survey-scored sub-criterion of the round's set) and 60 answered
/// forms per unit, stored by the workers' own code (<see cref="ResponseStore"/>), so aggregates, survey points and
/// the SurveyScoresUpdated events the ranking service consumes come about exactly as for real responses. The 2024
/// survey windows are long closed, which is why the forms are stored here and not sent through intake. Fixed
/// questionnaire ids and deterministic response ids: a restart adds nothing.
/// </summary>
internal sealed class DemoSeeder(
    QuestionnaireData questionnaires, ReceiptData receipts, ResponseStore store, CriteriaClient criteria, TimeProvider clock,
    ILogger<DemoSeeder> logger) : BackgroundService
{
    private const int FormsPerUnit = 60;
    private const string Channel = "demo-seed";

    // (round, questionnaire): the criteria service's 2024 demo rounds (services/Criteria/Seed/SeedIds.cs).
    private static readonly (Guid Round, Guid Questionnaire)[] Rounds =
    [
        (Guid.Parse("30000000-0000-4000-8000-000000000001"), Guid.Parse("50000000-0000-4000-8000-000000000001")),
        (Guid.Parse("30000000-0000-4000-8000-000000000003"), Guid.Parse("50000000-0000-4000-8000-000000000003")),
    ];

    // Share of "A" (very satisfied) answers per unit, in unit-id order; the rest fall to B, C and D.
    private static readonly decimal[] Satisfaction = [0.78m, 0.66m, 0.58m, 0.52m, 0.47m, 0.41m];

    private static readonly AnswerOption[] Options =
        [new("A", "Rất hài lòng", 100), new("B", "Hài lòng", 60), new("C", "Bình thường", 20), new("D", "Không hài lòng", 0)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                var stored = 0;
                foreach (var (roundId, questionnaireId) in Rounds)
                {
                    stored += await SeedRoundAsync(roundId, questionnaireId, stoppingToken);
                }
                logger.LogInformation("Demo seed: {Count} 2024 survey response(s) stored", stored);
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

    private async Task<int> SeedRoundAsync(Guid roundId, Guid questionnaireId, CancellationToken cancellationToken)
    {
        var round = await criteria.GetRoundAsync(roundId, cancellationToken)
            ?? throw new RpcException(new Status(StatusCode.Unavailable, $"Demo round {roundId} not seeded yet"));
        var questionnaire = await questionnaires.FindAsync(questionnaireId, cancellationToken)
            ?? await PublishAsync(round, questionnaireId, cancellationToken);
        var units = (await criteria.GetRoundUnitsAsync(roundId, cancellationToken)).Order().ToList();

        var acceptedAt = round.SurveyOpensAt.ToDateTimeOffset().AddDays(7);
        var forms = units.SelectMany((unit, index) => Enumerable.Range(1, FormsPerUnit)
            .Select(form => Form(questionnaire, round.TenantId, unit, Satisfaction[index % Satisfaction.Length], form, acceptedAt))).ToList();
        // Receipts first, as intake would; storing is insert-if-absent, so a rerun (or a run cut short between the
        // two) stores exactly what is missing and nothing twice.
        await using (var claim = await receipts.BeginClaimAsync(round.TenantId, forms, cancellationToken))
        {
            await claim.CommitAsync(cancellationToken);
        }
        return await store.StoreAsync(forms.Select(form => (round.TenantId, form)).ToList(), cancellationToken);
    }

    private async Task<Questionnaire> PublishAsync(Contracts.Criteria.V1.Round round, Guid id, CancellationToken cancellationToken)
    {
        var subCriteria = await criteria.GetSurveySubCriteriaAsync(round, cancellationToken)
            ?? throw new RpcException(new Status(StatusCode.Unavailable, $"The criteria set of round {round.Id} is not there yet"));
        var questions = subCriteria.Keys.Order(StringComparer.Ordinal).Select((code, index) => new Question(
            $"Q{index + 1:00}", $"Ông/bà đánh giá thế nào về nội dung {code} của cơ quan, đơn vị?", code, Options: Options)).ToList();
        var definition = new QuestionnaireDefinition(Guid.Parse(round.Id), RespondentGroups.Citizens,
            $"Phiếu khảo sát sự hài lòng của người dân, tổ chức năm {round.Year} (dữ liệu minh họa)", questions, MinimumSample: 30);
        var now = clock.GetUtcNow();
        await questionnaires.InsertAsync(new Questionnaire(id, round.TenantId, Questionnaire.Draft, definition,
            new Dictionary<string, decimal>(), now, null), cancellationToken);
        var maxPoints = questions.Select(question => question.SubCriterionCode).ToDictionary(code => code, code => subCriteria[code].MaxPoints);
        await questionnaires.PublishAsync(id, maxPoints, now, cancellationToken);
        return (await questionnaires.FindAsync(id, cancellationToken))!;
    }

    private static SubmittedResponse Form(
        Questionnaire questionnaire, string tenantId, Guid unitId, decimal satisfaction, int form, DateTimeOffset acceptedAt)
    {
        var responseId = $"demo:{questionnaire.Id:N}:{unitId:N}:{form}";
        var questions = questionnaire.Definition.Questions.OrderBy(question => question.Code, StringComparer.Ordinal).ToList();
        var answers = questions.Select((question, index) => Answer(responseId, index, satisfaction)).ToList();
        // The same content hash intake gives the same answers, so the seeded forms are ordinary responses throughout.
        var hash = ResponseValidator.Hash(questionnaire.Id, unitId, questions.Select((q, i) => (q.Code, answers[i].Code)),
            new Dictionary<string, string>());
        return new SubmittedResponse(responseId, Guid.CreateVersion7(), questionnaire.Id, questionnaire.Definition.RoundId, unitId,
            questionnaire.Definition.RespondentGroup, hash,
            questions.Select(question => question.Code).ToArray(), answers.Select(answer => answer.Code).ToArray(),
            questions.Select(question => question.SubCriterionCode).ToArray(), answers.Select(answer => answer.Percent / 100m).ToArray(),
            new Dictionary<string, string>(), Channel, acceptedAt.AddMinutes(form));
    }

    /// <summary>A stable answer: "A" with the unit's satisfaction, else B, C or D in falling shares.</summary>
    private static AnswerOption Answer(string responseId, int question, decimal satisfaction)
    {
        var hash = 17;
        foreach (var character in $"{responseId}/{question}")
        {
            hash = unchecked(hash * 31 + character);
        }
        var draw = (hash & 0x7fffffff) % 1000 / 1000m;
        var rest = 1 - satisfaction;
        return draw < satisfaction ? Options[0]
            : draw < satisfaction + rest * 0.6m ? Options[1]
            : draw < satisfaction + rest * 0.9m ? Options[2]
            : Options[3];
    }
}
