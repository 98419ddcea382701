using ParPlatform.Survey.Intake;

namespace ParPlatform.Survey.Tests;

/// <summary>The intake queue's binary batch form gives back exactly what went in.</summary>
public sealed class ResponseBatchCodecTests
{
    [Fact]
    public void A_batch_round_trips_exactly_with_vietnamese_text_decimals_and_profiles()
    {
        var acceptedAt = new DateTimeOffset(2026, 11, 20, 8, 30, 15, 123, TimeSpan.Zero).AddTicks(4567);
        SubmittedResponse[] batch =
        [
            new("csv:abc:1:7", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "citizens", new string('f', 64),
                ["Q1", "Q2", "Q3"], ["A", "Rất tốt, đúng hẹn", "6.5"], ["8.1.1", "8.1.1", "8.1.2"], [1m, 0.6m, 0.65000m],
                new Dictionary<string, string> { ["sex"] = "Nữ", ["age"] = "31-45" }, "csv", acceptedAt),
            new("rest-2", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "leaders", "00", [], [], [], [],
                new Dictionary<string, string>(), "rest", acceptedAt.AddDays(-1)),
        ];

        var decoded = ResponseBatchCodec.Decode(ResponseBatchCodec.Encode(batch));

        Assert.Equal(batch.Length, decoded.Count);
        for (var i = 0; i < batch.Length; i++)
        {
            var (sent, got) = (batch[i], decoded[i]);
            Assert.Equal(sent with { QuestionCodes = [], Answers = [], SubCriteria = [], Scores = [], Profile = got.Profile },
                got with { QuestionCodes = [], Answers = [], SubCriteria = [], Scores = [] });
            Assert.Equal(sent.QuestionCodes, got.QuestionCodes);
            Assert.Equal(sent.Answers, got.Answers);
            Assert.Equal(sent.SubCriteria, got.SubCriteria);
            Assert.Equal(sent.Scores.Select(score => score.ToString()), got.Scores.Select(score => score.ToString())); // scale kept too
            Assert.Equal(sent.Profile.OrderBy(p => p.Key), got.Profile.OrderBy(p => p.Key));
            Assert.Equal(sent.AcceptedAt.UtcTicks, got.AcceptedAt.UtcTicks);
        }
    }

    [Fact]
    public void An_unknown_format_version_is_refused()
    {
        var payload = ResponseBatchCodec.Encode([]);
        payload[0] = 99;

        Assert.Throws<InvalidDataException>(() => ResponseBatchCodec.Decode(payload));
    }
}
