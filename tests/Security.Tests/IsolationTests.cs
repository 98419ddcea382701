using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ParPlatform.ServiceDefaults.Identity;

namespace ParPlatform.Security.Tests;

/// <summary>
/// Issue 7: "Idempotency keys are scoped per tenant (a partner cannot detect another tenant's responses by replaying
/// ids)". A bac-ninh partner replaying quang-ninh's response id gets exactly what a fresh id gets, single and batch,
/// and cannot read the receipt.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class IsolationTests(SecurityFixture platform)
{
    [Fact]
    public async Task A_partner_of_another_tenant_replaying_a_response_id_learns_nothing()
    {
        var targets = platform.Targets;
        using var owner = platform.Client(platform.Tokens.Of("qn-survey-partner"));
        using var intruder = platform.Client(platform.Tokens.Mint(PlatformRoles.SurveyPartner, Targets.OtherTenant));
        object Response(string id, string option) => new
        {
            responseId = id, questionnaireId = targets.Questionnaire, unitId = Targets.SoTuPhap,
            answers = new[] { new { question = "Q1", option } },
        };

        // The owner's own replay is recognised (same receipt) and a changed replay is a conflict: the key works...
        var again = await owner.PostAsJsonAsync("/api/survey/responses", Response(targets.ResponseId, "A"));
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var receipt = (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receiptId").ToString();
        Assert.Equal(HttpStatusCode.Conflict, (await owner.PostAsJsonAsync("/api/survey/responses", Response(targets.ResponseId, "B"))).StatusCode);

        // ...but only within its tenant: identical or changed content, the intruder gets what a fresh id gets.
        foreach (var option in new[] { "A", "B" })
        {
            var replayed = await Outcome(await intruder.PostAsJsonAsync("/api/survey/responses", Response(targets.ResponseId, option)));
            var fresh = await Outcome(await intruder.PostAsJsonAsync("/api/survey/responses", Response("SECFRESH" + Guid.NewGuid().ToString("N"), option)));
            Assert.Equal(fresh.Summary, replayed.Summary);
            Assert.DoesNotContain(receipt, replayed.Body);
            Assert.NotEqual(409, replayed.Status);
        }

        var batch = await intruder.PostAsJsonAsync("/api/survey/responses/batch", new
        {
            responses = new[] { Response(targets.ResponseId, "A"), Response("SECFRESH" + Guid.NewGuid().ToString("N"), "A") },
        });
        var body = await batch.Content.ReadAsStringAsync();
        Assert.DoesNotContain(receipt, body);
        if (batch.StatusCode == HttpStatusCode.OK)
        {
            var items = JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray()
                .Select(item => $"{item.GetProperty("outcome")}:{(item.TryGetProperty("reason", out var r) ? r.ToString() : "")}").ToList();
            Assert.Equal(items[1], items[0]);
        }

        // The receipt is the owner's alone.
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/api/survey/responses/{targets.ResponseId}")).StatusCode);
        var read = await intruder.GetAsync($"/api/survey/responses/{targets.ResponseId}");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.DoesNotContain(receipt, await read.Content.ReadAsStringAsync());
    }

    private static async Task<(int Status, string Summary, string Body)> Outcome(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
        string Field(string name) => document.RootElement.TryGetProperty(name, out var value) ? value.ToString() : "";
        return ((int)response.StatusCode, $"{(int)response.StatusCode} {Field("type")} {Field("outcome")} {Field("reason")}", body);
    }
}
