using System.Security.Cryptography;
using System.Text;
using ParPlatform.Survey.Intake;

namespace ParPlatform.Survey.Tests;

/// <summary>
/// Stored receipts carry the content hash, so any other way of computing it must give byte-identical results: these
/// compare it with the original implementation, kept here verbatim as the format's reference.
/// </summary>
public sealed class ContentHashTests
{
    private static readonly Guid Questionnaire = Guid.Parse("0b9f3c1e-7d2a-4c55-9e3f-1a2b3c4d5e6f");
    private static readonly Guid Unit = Guid.Parse("f0e1d2c3-b4a5-4697-8879-6a5b4c3d2e1f");

    public static TheoryData<string[], string[], Dictionary<string, string>> Contents() => new()
    {
        { [], [], new Dictionary<string, string>() },
        { ["Q1", "Q2", "Q3"], ["A", "B", "7"], new Dictionary<string, string>() },
        { ["Q1", "Q3"], ["D", "6.25"], new Dictionary<string, string> { ["sex"] = "Nữ", ["age"] = "31-45" } },
        { ["Câu-1", "Q2"], ["Rất tốt, đúng hẹn", "0.000001"], new Dictionary<string, string> { ["trình-độ"] = "Đại học", ["age"] = "60+" } },
        { ["Q1"], ["79228162514264337593543950335"], new Dictionary<string, string> { ["z"] = "1", ["Z"] = "2", ["a"] = "3" } },
        { ["emoji"], ["👍🏽 tốt"], new Dictionary<string, string> { ["note"] = "ngắn" } },
        { ["lone"], ["\ud800x"], new Dictionary<string, string> { ["k"] = "\udc00" } },
        // Long content (80 answers).
        { Enumerable.Range(0, 80).Select(i => $"Q{i:D2}").ToArray(), Enumerable.Range(0, 80).Select(i => $"Phương án số {i} – ý kiến").ToArray(),
            new Dictionary<string, string> { ["sex"] = "Nam" } },
    };

    [Theory]
    [MemberData(nameof(Contents))]
    public void The_hash_equals_the_original_canonical_string_hash(string[] codes, string[] raws, Dictionary<string, string> profile)
    {
        var expected = OriginalHash(Questionnaire, Unit, codes.Zip(raws), profile);

        Assert.Equal(expected, ResponseValidator.Hash(Questionnaire, Unit, codes, raws, profile));
        Assert.Equal(expected, ResponseValidator.Hash(Questionnaire, Unit, codes.Zip(raws), profile));
    }

    [Fact]
    public void Profile_order_does_not_matter_but_answer_order_and_content_do()
    {
        var profile = new Dictionary<string, string> { ["sex"] = "Nữ", ["age"] = "31-45" };
        var reversed = new Dictionary<string, string> { ["age"] = "31-45", ["sex"] = "Nữ" };
        var hash = ResponseValidator.Hash(Questionnaire, Unit, ["Q1", "Q2"], ["A", "B"], profile);

        Assert.Equal(hash, ResponseValidator.Hash(Questionnaire, Unit, ["Q1", "Q2"], ["A", "B"], reversed));
        Assert.NotEqual(hash, ResponseValidator.Hash(Questionnaire, Unit, ["Q2", "Q1"], ["B", "A"], profile));
        Assert.NotEqual(hash, ResponseValidator.Hash(Questionnaire, Unit, ["Q1", "Q2"], ["A", "C"], profile));
        Assert.NotEqual(hash, ResponseValidator.Hash(Questionnaire, Unit, ["Q1", "Q2"], ["A", "B"], new Dictionary<string, string>()));
    }

    private static string OriginalHash(Guid questionnaireId, Guid unitId, IEnumerable<(string Code, string Raw)> answers, IReadOnlyDictionary<string, string> profile)
    {
        var canonical = new StringBuilder().Append(questionnaireId.ToString("N")).Append('\n').Append(unitId.ToString("N")).Append('\n');
        foreach (var (code, raw) in answers)
        {
            canonical.Append("a:").Append(code).Append('=').Append(raw).Append('\n');
        }
        foreach (var (code, band) in profile.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            canonical.Append("p:").Append(code).Append('=').Append(band).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }
}
