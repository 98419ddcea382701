using System.Net;
using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ParPlatform.Security.Tests;

/// <summary>
/// Real resources of tenant quang-ninh that the suite aims at, and the strings that would show they leaked: their ids,
/// the tenant id, Vietnamese names, and ASCII tokens planted in their titles and texts.
/// </summary>
public sealed class Targets
{
    public const string Tenant = "quang-ninh";
    public const string OtherTenant = "bac-ninh";

    // Demo data (services/Criteria/Seed/SeedIds.cs).
    public static readonly Guid DepartmentSet2024 = Guid.Parse("10000000-0000-4000-8000-000000000002");
    public static readonly Guid DepartmentSet2025 = Guid.Parse("10000000-0000-4000-8000-000000000003");
    public static readonly Guid DistrictSet2024 = Guid.Parse("10000000-0000-4000-8000-000000000004");
    public static readonly Guid SoNoiVu = Guid.Parse("20000000-0000-4000-8000-000000000011");
    public static readonly Guid SoTuPhap = Guid.Parse("20000000-0000-4000-8000-000000000012");
    public static readonly Guid HaLong = Guid.Parse("20000000-0000-4000-8000-000000000021");
    public static readonly Guid DepartmentsRound2024 = Guid.Parse("30000000-0000-4000-8000-000000000001");
    public static readonly Guid DepartmentsRound2025 = Guid.Parse("30000000-0000-4000-8000-000000000002");
    public static readonly Guid DistrictsRound2024 = Guid.Parse("30000000-0000-4000-8000-000000000003");

    public required string Token { get; init; }
    public required Guid Round { get; init; }
    public required Guid Assessment { get; init; }
    public required string ItemCode { get; init; }

    /// <summary>Another item of the assessment, for probes that overwrite it (ItemCode carries the planted text).</summary>
    public required string SpareItemCode { get; init; }
    public required Guid Evidence { get; init; }
    public required Guid DraftSet { get; init; }
    public required Guid Questionnaire { get; init; }
    public required string ResponseId { get; init; }
    public required bool RankingPublished { get; init; }

    /// <summary>What another tenant must never see (unless it sent it itself).</summary>
    public IReadOnlyList<string> TenantMarkers { get; private set; } = [];

    /// <summary>What another unit, or a role without the right, must never see: the unit's own work.</summary>
    public IReadOnlyList<string> UnitMarkers { get; private set; } = [];

    /// <summary>Every quang-ninh id a request may carry; the existence check swaps each for a random one.</summary>
    public IReadOnlyList<string> RealIds { get; private set; } = [];

    public static async Task<Targets> CreateAsync(SecurityFixture fixture)
    {
        var token = Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        using var admin = fixture.Client(fixture.Tokens.Of("qn.quantri"));
        using var officer = fixture.Client(fixture.Tokens.Of("qn.tuphap.canbo"));
        using var partner = fixture.Client(fixture.Tokens.Of("qn-survey-partner"));

        var now = DateTimeOffset.UtcNow;
        // A round's year is its set's, and its windows lie within that year (and the next): this year's copy of the set.
        var yearSet = await SecurityFixture.ExpectAsync(await admin.PostAsJsonAsync($"/api/criteria/sets/{DepartmentSet2025}/clone",
            new { year = now.Year, code = $"SECY-{token}" }), HttpStatusCode.Created, "clone set for the round's year");
        var yearSetId = yearSet.GetProperty("id").GetGuid();
        await SecurityFixture.ExpectAsync(await admin.PostAsync($"/api/criteria/sets/{yearSetId}/publish", null), HttpStatusCode.OK, "publish set");
        var round = await SecurityFixture.ExpectAsync(await admin.PostAsJsonAsync("/api/criteria/rounds", new
        {
            year = now.Year,
            name = $"Vòng kiểm thử bảo mật SECROUND{token}",
            criteriaSetId = yearSetId,
            rankingGroup = $"sec-{token}",
            windows = new
            {
                selfAssessmentOpensAt = now.AddHours(-1), selfAssessmentClosesAt = now.AddHours(2),
                appraisalOpensAt = now.AddHours(2), appraisalClosesAt = now.AddHours(4),
                surveyOpensAt = now.AddHours(-1), surveyClosesAt = now.AddHours(2), publicationAt = now.AddHours(5),
            },
        }), HttpStatusCode.Created, "create round");
        var roundId = round.GetProperty("id").GetGuid();
        await SecurityFixture.ExpectAsync(await admin.PutAsJsonAsync($"/api/criteria/rounds/{roundId}/units",
            new { unitIds = new[] { SoTuPhap, SoNoiVu } }), HttpStatusCode.NoContent, "round units");

        var assessment = await SecurityFixture.ExpectAsync(await officer.PostAsJsonAsync("/api/submission/assessments",
            new { roundId, unitId = SoTuPhap }), HttpStatusCode.Created, "start assessment");
        var assessmentId = assessment.GetProperty("id").GetGuid();
        var items = assessment.GetProperty("items").EnumerateArray().ToList();
        var item = items[0];
        var itemCode = item.GetProperty("code").GetString()!;

        var pdf = new ByteArrayContent("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"u8.ToArray());
        pdf.Headers.ContentType = new("application/pdf");
        var evidence = await SecurityFixture.ExpectAsync(await officer.PostAsync(
            $"/api/evidence-storage/rounds/{roundId}/evidence?fileName=bao-mat.pdf&title=SECTITLE{token}&documentNumber=SECDOC{token}&issuer=S%E1%BB%9F%20T%C6%B0%20ph%C3%A1p&issueDate=2026-01-15", pdf),
            HttpStatusCode.Created, "upload evidence");
        var evidenceId = evidence.GetProperty("id").GetGuid();
        await SecurityFixture.ExpectAsync(await officer.PutAsJsonAsync($"/api/submission/assessments/{assessmentId}/items/{itemCode}", new
        {
            selfScore = item.GetProperty("maxPoints").GetDecimal(),
            explanation = $"Giải trình SECTEXT{token}",
            evidenceIds = new[] { evidenceId },
        }), HttpStatusCode.OK, "score item");

        var draft = await SecurityFixture.ExpectAsync(await admin.PostAsJsonAsync($"/api/criteria/sets/{DepartmentSet2025}/clone",
            new { year = 2030, code = $"SEC-{token}", name = $"Bộ chỉ số kiểm thử SECSET{token}" }), HttpStatusCode.Created, "clone set");

        var set = await SecurityFixture.ExpectAsync(await admin.GetAsync($"/api/criteria/sets/{DepartmentSet2025}"), HttpStatusCode.OK, "read set");
        var surveyCode = SurveyLeaves(set).First();
        var questionnaire = await SecurityFixture.ExpectAsync(await admin.PostAsJsonAsync("/api/survey/questionnaires", new
        {
            roundId,
            respondentGroup = "citizens",
            title = $"Phiếu khảo sát SECQUEST{token}",
            questions = new[]
            {
                new
                {
                    code = "Q1", text = "Thủ tục được niêm yết công khai?", subCriterionCode = surveyCode,
                    options = new[] { new { code = "A", label = "Tốt", percent = 100m }, new { code = "B", label = "Kém", percent = 0m } },
                },
            },
            minimumSample = 1,
        }), HttpStatusCode.Created, "create questionnaire");
        var questionnaireId = questionnaire.GetProperty("id").GetGuid();
        await SecurityFixture.ExpectAsync(await admin.PostAsync($"/api/survey/questionnaires/{questionnaireId}/publish", null), HttpStatusCode.OK, "publish questionnaire");
        var responseId = $"SECRESP{token}";
        await SecurityFixture.ExpectAsync(await partner.PostAsJsonAsync("/api/survey/responses", new
        {
            responseId, questionnaireId, unitId = SoTuPhap, answers = new[] { new { question = "Q1", option = "A" } },
        }), HttpStatusCode.Accepted, "submit response");
        // Stored (and scored) before any test reads the unit's survey points.
        await ParPlatform.Testing.Eventually.TrueAsync(async () =>
        {
            using var receipt = await partner.GetAsync($"/api/survey/responses/{responseId}");
            return receipt.IsSuccessStatusCode && (await receipt.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stored").GetBoolean();
        }, TimeSpan.FromSeconds(60), "the survey response to be stored");

        // Sở Tư pháp's self-assessment is still open and the publication date is ahead: published early with both
        // units excluded, each with its reason (the guard refuses a bare publication).
        using var publish = await admin.PostAsJsonAsync($"/api/ranking/rounds/{roundId}/publications", new
        {
            exclusions = new[] { SoTuPhap, SoNoiVu }.Select(unitId => new { unitId, reason = "Kiểm thử bảo mật: chưa thẩm định" }),
            earlyPublicationReason = "Kiểm thử bảo mật",
        });
        // Excluded units have no published result: a unit's published figures are read from the seeded 2024 round,
        // whose every unit is finalised (published once the ranking has taken in the seeded appraisals).
        await ParPlatform.Testing.Eventually.TrueAsync(async () =>
        {
            using var published = await admin.PostAsync($"/api/ranking/rounds/{DepartmentsRound2024}/publications", null);
            return published.StatusCode == HttpStatusCode.Created;
        }, TimeSpan.FromSeconds(90), "the seeded 2024 departments round to be publishable");

        var targets = new Targets
        {
            Token = token, Round = roundId, Assessment = assessmentId, ItemCode = itemCode, SpareItemCode = items[^1].GetProperty("code").GetString()!, Evidence = evidenceId,
            DraftSet = draft.GetProperty("id").GetGuid(), Questionnaire = questionnaireId, ResponseId = responseId,
            RankingPublished = publish.StatusCode == HttpStatusCode.Created,
        };
        var ids = new[] { DepartmentSet2024, DepartmentSet2025, DistrictSet2024, SoNoiVu, SoTuPhap, HaLong, DepartmentsRound2024,
            DepartmentsRound2025, DistrictsRound2024, roundId, assessmentId, evidenceId, targets.DraftSet, questionnaireId }
            .Select(id => id.ToString()).Append(responseId).ToList();
        targets.RealIds = ids;
        var unitMarkers = new List<string> { assessmentId.ToString(), evidenceId.ToString(), $"SECTITLE{token}", $"SECDOC{token}", $"SECTEXT{token}" };
        targets.UnitMarkers = unitMarkers;
        targets.TenantMarkers = [.. ids, .. unitMarkers, Tenant, $"SECROUND{token}", $"SECSET{token}", $"SECQUEST{token}",
            .. Spellings("Sở Tư pháp"), .. Spellings("Sở Nội vụ"), .. Spellings("Thành phố Hạ Long")];
        return targets;
    }

    /// <summary>A name as it appears raw and as JSON writers escape it.</summary>
    private static IEnumerable<string> Spellings(string name) =>
        new[] { name, JsonSerializer.Serialize(name)[1..^1], JsonSerializer.Serialize(name, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })[1..^1] }.Distinct();

    private static IEnumerable<string> SurveyLeaves(JsonElement node)
    {
        if (node.ValueKind == JsonValueKind.Object)
        {
            if (node.TryGetProperty("method", out var method) && node.TryGetProperty("code", out var code)
                && (method.ValueKind == JsonValueKind.String ? string.Equals(method.GetString(), "survey", StringComparison.OrdinalIgnoreCase)
                    : method.ValueKind == JsonValueKind.Number && method.GetInt32() == 1))
            {
                yield return code.GetString()!;
            }
            foreach (var property in node.EnumerateObject())
            {
                foreach (var leaf in SurveyLeaves(property.Value))
                {
                    yield return leaf;
                }
            }
        }
        else if (node.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in node.EnumerateArray())
            {
                foreach (var leaf in SurveyLeaves(element))
                {
                    yield return leaf;
                }
            }
        }
    }
}
