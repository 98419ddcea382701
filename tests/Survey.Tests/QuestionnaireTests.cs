using System.Net;
using System.Net.Http.Json;
using ParPlatform.Survey.Questionnaires;

namespace ParPlatform.Survey.Tests;

[Collection(SurveyCollection.Name)]
public sealed class QuestionnaireTests(SurveyFixture fixture)
{
    [Fact]
    public async Task Questions_must_map_to_survey_scored_sub_criteria_of_the_rounds_set()
    {
        var definition = SurveyFixture.CitizensDefinition(FakeCriteriaServer.OpenRound) with
        {
            Questions =
            [
                new Question("Q1", "Câu hỏi", "8.1.3", Options: SurveyFixture.Abcd()),   // appraised, not survey-scored
                new Question("Q2", "Câu hỏi", "9.9.9", Options: SurveyFixture.Abcd()),   // not in the set
            ],
        };
        var reply = await fixture.Operator.PostAsJsonAsync("/api/survey/questionnaires", definition, SurveyFixture.Json);
        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        var body = await reply.Content.ReadAsStringAsync();
        Assert.Contains("urn:par:survey:unknown-sub-criterion", body);
        Assert.Contains("8.1.3", body);
        Assert.Contains("9.9.9", body);

        var unknownRound = SurveyFixture.CitizensDefinition(Guid.NewGuid());
        var round = await fixture.Operator.PostAsJsonAsync("/api/survey/questionnaires", unknownRound, SurveyFixture.Json);
        Assert.Contains("urn:par:survey:unknown-round", await round.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Published_questionnaire_is_immutable_and_keeps_its_Vietnamese_text()
    {
        var published = await fixture.Operator.GetFromJsonAsync<Questionnaire>($"/api/survey/questionnaires/{fixture.Citizens}", SurveyFixture.Json);
        Assert.Equal(Questionnaire.Published, published!.Status);
        Assert.Equal("Thủ tục hành chính được niêm yết công khai, đầy đủ?", published.Definition.Questions[0].Text);
        Assert.Equal(2.5m, published.MaxPoints["8.1.1"]);

        var edit = await fixture.Operator.PutAsJsonAsync(
            $"/api/survey/questionnaires/{fixture.Citizens}", published.Definition with { Title = "Đổi tên" }, SurveyFixture.Json);
        Assert.Equal(HttpStatusCode.Conflict, edit.StatusCode);
        Assert.Contains("urn:par:survey:questionnaire-published", await edit.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await fixture.Operator.PostAsync($"/api/survey/questionnaires/{fixture.Citizens}/publish", null)).StatusCode);
    }

    [Fact]
    public async Task A_viewer_cannot_write_questionnaires()
    {
        using var viewer = new TestCaller("viewer-1", PlatformRoles.Viewer, FakeCriteriaServer.Tenant).Client(fixture.Survey.HttpAddress);
        var reply = await viewer.PostAsJsonAsync("/api/survey/questionnaires", SurveyFixture.CitizensDefinition(FakeCriteriaServer.OpenRound), SurveyFixture.Json);
        Assert.Equal(HttpStatusCode.Forbidden, reply.StatusCode);
    }
}
