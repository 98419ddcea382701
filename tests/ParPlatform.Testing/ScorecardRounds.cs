using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ParPlatform.Testing;

/// <summary>
/// An open round over a set of realistic size for browser journeys and benchmarks: 100 self-assessed
/// sub-criteria (8 fields, 24 criteria; graded options on every other one, a number with step 0.25 on the rest,
/// evidence required on every third) plus 5 survey-scored ones, 65 + 35 = 100 points. Created through the gateway
/// with a provincial administrator's token, as an administrator would.
/// </summary>
public static class ScorecardRounds
{
    public const int SelfAssessedItems = 100;

    public static object HundredSubCriterionSet(string code, int year)
    {
        var index = 0;
        static decimal PointsOf(int n) => n < 30 ? 1m : 0.5m; // 30 x 1 + 70 x 0.5 = 65
        object Sub(string id)
        {
            var n = index++;
            var points = PointsOf(n);
            return new
            {
                code = id, name = $"Tiêu chí thành phần {id}: thực hiện đúng quy định, đủ tài liệu kiểm chứng", maxPoints = points,
                method = "Appraised", evidenceRequired = n % 3 == 0,
                guidance = "Chấm theo mức độ đạt được, căn cứ tài liệu kiểm chứng.",
                rule = n % 2 == 0 ? new { options = new object[] { new { label = "Đạt", points }, new { label = "Không đạt", points = 0m } } } : null,
            };
        }
        // Parents carry the sum of their children's maxima (the service checks it).
        var fields = Enumerable.Range(1, 8).Select(f =>
        {
            var criteria = Enumerable.Range(1, 3).Select(k =>
            {
                var count = (f - 1) * 3 + k > 20 ? 5 : 4; // 20 x 4 + 4 x 5 = 100
                var first = index;
                var children = Enumerable.Range(1, count).Select(i => Sub($"{f}.{k}.{i}")).ToList();
                return (Node: (object)new { code = $"{f}.{k}", name = $"Tiêu chí {f}.{k}", maxPoints = Enumerable.Range(first, count).Sum(PointsOf), children },
                    Points: Enumerable.Range(first, count).Sum(PointsOf));
            }).ToList();
            return (object)new { code = $"{f}", name = $"Lĩnh vực {f}", maxPoints = criteria.Sum(c => c.Points), children = criteria.Select(c => c.Node).ToList() };
        }).ToList().Append(new
        {
            code = "9", name = "Mức độ hài lòng của người dân, tổ chức (điều tra xã hội học)", maxPoints = 35m,
            children = new[] { new { code = "9.1", name = "Sự hài lòng", maxPoints = 35m, children = Enumerable.Range(1, 5).Select(i => (object)new
            {
                code = $"9.1.{i}", name = $"Câu hỏi khảo sát {i}", maxPoints = 7m, method = "Survey",
            }).ToList() } },
        }).ToList();
        return new
        {
            code, name = "Bộ tiêu chí 100 tiêu chí thành phần (kiểm thử giao diện)", year, level = "Department",
            maxPoints = 100m, appraisalPoints = 65m, surveyPoints = 35m, scoreStep = 0.25m,
            bands = new[] { new { label = "Tốt", minPercent = 90m }, new { label = "Khá", minPercent = 80m }, new { label = "Trung bình", minPercent = 65m }, new { label = "Yếu", minPercent = 50m }, new { label = "Kém", minPercent = 0m } },
            fields,
        };
    }

    /// <summary>A published 100-sub-criterion set of this year and an open round over it for the given units.</summary>
    public static async Task<Guid> CreateRoundAsync(HttpClient admin, IReadOnlyList<Guid> units, DateTimeOffset selfAssessmentCloses,
        DateTimeOffset? appraisalCloses = null)
    {
        var now = DateTimeOffset.UtcNow;
        var token = Guid.NewGuid().ToString("N")[..8];
        var set = await ReadAsync(await admin.PostAsJsonAsync("api/criteria/sets", HundredSubCriterionSet($"UI-{token}", now.Year)), HttpStatusCode.Created);
        var setId = set.GetProperty("id").GetGuid();
        await ReadAsync(await admin.PostAsync($"api/criteria/sets/{setId}/publish", null), HttpStatusCode.OK);
        var round = await ReadAsync(await admin.PostAsJsonAsync("api/criteria/rounds", new
        {
            year = now.Year, name = $"Kỳ đánh giá thử nghiệm {token}", criteriaSetId = setId, rankingGroup = $"ui-{token}",
            windows = new
            {
                selfAssessmentOpensAt = now.AddHours(-1), selfAssessmentClosesAt = selfAssessmentCloses,
                appraisalOpensAt = selfAssessmentCloses, appraisalClosesAt = appraisalCloses ?? selfAssessmentCloses.AddHours(2),
                surveyOpensAt = now.AddHours(-1), surveyClosesAt = selfAssessmentCloses.AddHours(2), publicationAt = selfAssessmentCloses.AddHours(3),
            },
        }), HttpStatusCode.Created);
        var roundId = round.GetProperty("id").GetGuid();
        await ReadAsync(await admin.PutAsJsonAsync($"api/criteria/rounds/{roundId}/units", new { unitIds = units }), HttpStatusCode.NoContent);
        return roundId;
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        }
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }
}
