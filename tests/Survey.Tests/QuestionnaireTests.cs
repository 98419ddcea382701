using System.Net;
using System.Net.Http.Json;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.Survey.Questionnaires;

namespace ParPlatform.Survey.Tests;

[Collection(SurveyCollection.Name)]
public sealed class QuestionnaireTests(SurveyFixture fixture)
{
    [Fact]
    public async Task Questions_must_map_to_survey_scored_sub_criteria_of_the_rounds_set()
    {
        var definition = SurveyFixture.CitizensDefinition(TestCriteria.OpenRound) with
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
    public async Task Questions_map_to_survey_scored_leaves_at_any_depth()
    {
        // "8.2" is a criterion without sub-criteria, scored by the survey; "8.3" one scored by appraisal.
        var definition = SurveyFixture.CitizensDefinition(TestCriteria.OpenRound) with
        {
            Questions = [new Question("G1", "Hài lòng chung?", "8.2", Options: SurveyFixture.Abcd())],
        };
        var id = await fixture.PublishAsync(definition);
        var published = await fixture.Operator.GetFromJsonAsync<Questionnaire>($"/api/survey/questionnaires/{id}", SurveyFixture.Json);
        Assert.Equal(2m, published!.MaxPoints["8.2"]);

        var appraised = definition with { Questions = [new Question("G1", "Báo cáo?", "8.3", Options: SurveyFixture.Abcd())] };
        var refused = await fixture.Operator.PostAsJsonAsync("/api/survey/questionnaires", appraised, SurveyFixture.Json);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("urn:par:survey:unknown-sub-criterion", await refused.Content.ReadAsStringAsync());
        var parent = definition with { Questions = [new Question("G1", "Cả tiêu chí?", "8.1", Options: SurveyFixture.Abcd())] };
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Operator.PostAsJsonAsync("/api/survey/questionnaires", parent, SurveyFixture.Json)).StatusCode);
    }

    [Fact]
    public async Task A_draft_with_nothing_attached_can_be_deleted_and_a_published_one_cannot()
    {
        var created = await fixture.Operator.PostAsJsonAsync(
            "/api/survey/questionnaires", SurveyFixture.CitizensDefinition(TestCriteria.OpenRound), SurveyFixture.Json);
        var draft = (await created.Content.ReadFromJsonAsync<Questionnaire>(SurveyFixture.Json))!;

        using var viewer = new TestCaller("viewer-1", PlatformRoles.Viewer, TestCriteria.Tenant).Client(fixture.Survey.HttpAddress);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"/api/survey/questionnaires/{draft.Id}")).StatusCode);
        using var otherProvince = new TestCaller("op-qn", PlatformRoles.SurveyOperator, "prov-quang-ninh").Client(fixture.Survey.HttpAddress);
        Assert.Equal(HttpStatusCode.NotFound, (await otherProvince.DeleteAsync($"/api/survey/questionnaires/{draft.Id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Operator.DeleteAsync($"/api/survey/questionnaires/{draft.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Operator.GetAsync($"/api/survey/questionnaires/{draft.Id}")).StatusCode);
        Assert.DoesNotContain(draft.Id, (await fixture.Operator.GetFromJsonAsync<List<Questionnaire>>("/api/survey/questionnaires", SurveyFixture.Json))!.Select(q => q.Id));

        var published = await fixture.Operator.DeleteAsync($"/api/survey/questionnaires/{fixture.Citizens}");
        Assert.Equal(HttpStatusCode.Conflict, published.StatusCode);
        Assert.Contains("urn:par:survey:questionnaire-published", await published.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await fixture.Operator.GetAsync($"/api/survey/questionnaires/{fixture.Citizens}")).StatusCode);
    }

    [Fact]
    public async Task A_viewer_cannot_write_questionnaires()
    {
        using var viewer = new TestCaller("viewer-1", PlatformRoles.Viewer, TestCriteria.Tenant).Client(fixture.Survey.HttpAddress);
        var reply = await viewer.PostAsJsonAsync("/api/survey/questionnaires", SurveyFixture.CitizensDefinition(TestCriteria.OpenRound), SurveyFixture.Json);
        Assert.Equal(HttpStatusCode.Forbidden, reply.StatusCode);
    }
}
