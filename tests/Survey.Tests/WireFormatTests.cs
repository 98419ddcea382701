using System.Net;
using System.Text;
using System.Text.Json;

namespace ParPlatform.Survey.Tests;

/// <summary>
/// The intake bodies' JSON as clients see it on the wire: names, casing, nulls, lenient reading and the 400 for bad
/// JSON, pinned so that a change to how the service reads or writes them (a source-generated context, say) shows.
/// </summary>
[Collection(SurveyCollection.Name)]
public sealed class WireFormatTests(SurveyFixture fixture)
{
    [Fact]
    public async Task A_batch_reads_any_casing_and_numbers_in_strings_and_answers_in_camel_case_with_nulls()
    {
        var unit = TestCriteria.Units[1];
        var body = $$$"""
            {"Responses":[
              {"ResponseId":"wire-1","QuestionnaireId":"{{{fixture.Citizens}}}","unitId":"{{{unit}}}",
               "answers":[{"question":"Q1","option":"A"},{"QUESTION":"Q2","Option":"B"},{"question":"Q3","value":"7.50"}],
               "profile":{"sex":"Nữ"}},
              {"responseId":"wire-2","questionnaireId":"{{{fixture.Citizens}}}","unitId":"{{{unit}}}","answers":[{"question":"Q1","option":"Z"}]}
            ]}
            """;

        var reply = await fixture.Operator.PostAsync("/api/survey/responses/batch", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        using var json = JsonDocument.Parse(await reply.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal(["accepted", "duplicates", "rejected", "items"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal((1, 0, 1), (root.GetProperty("accepted").GetInt32(), root.GetProperty("duplicates").GetInt32(), root.GetProperty("rejected").GetInt32()));
        var items = root.GetProperty("items").EnumerateArray().ToList();
        Assert.All(items, item => Assert.Equal(
            ["responseId", "outcome", "receiptId", "acceptedAt", "reason", "detail"], item.EnumerateObject().Select(p => p.Name)));
        Assert.Equal("accepted", items[0].GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("reason").ValueKind);
        Assert.Equal("rejected", items[1].GetProperty("outcome").GetString());
        Assert.Equal("answer-outside-scale", items[1].GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("receiptId").ValueKind);
    }

    [Fact]
    public async Task A_single_response_answers_202_with_its_receipt_in_camel_case()
    {
        var body = $$"""{"responseId":"wire-single-1","questionnaireId":"{{fixture.Citizens}}","unitId":"{{TestCriteria.Units[1]}}","answers":[{"question":"Q1","option":"A"},{"question":"Q2","option":"C"}]}""";

        var reply = await fixture.Operator.PostAsync("/api/survey/responses", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        Assert.Equal("/api/survey/responses/wire-single-1", reply.Headers.Location?.OriginalString);
        using var json = JsonDocument.Parse(await reply.Content.ReadAsStringAsync());
        Assert.Equal(["responseId", "outcome", "receiptId", "acceptedAt", "reason", "detail"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("wire-single-1", json.RootElement.GetProperty("responseId").GetString());
    }

    [Theory]
    [InlineData("/api/survey/responses", "{\"responseId\":\"x\",\"questionnaireId\":\"not-a-guid\"}")]
    [InlineData("/api/survey/responses", "{\"responseId\":")]
    [InlineData("/api/survey/responses/batch", "{\"responses\":[{\"responseId\":\"x\",\"answers\":[{\"value\":\"seven\"}]}]}")]
    [InlineData("/api/survey/responses/batch", "[1,2,3]")]
    public async Task Malformed_json_is_400(string path, string body)
    {
        var reply = await fixture.Operator.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
    }
}
