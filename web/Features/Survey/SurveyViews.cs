using ParPlatform.Web.Platform;

namespace ParPlatform.Web.Features.Survey;

// The survey service's answers, only the members the pages show.
public sealed record AnswerOptionView(string Code, string Label, decimal Percent);

public sealed record NumericScaleView(decimal Min, decimal Max);

public sealed record QuestionView(string Code, string Text, string SubCriterionCode, bool Required, IReadOnlyList<AnswerOptionView>? Options,
    NumericScaleView? Scale);

public sealed record QuestionnaireDefinitionView(Guid RoundId, string RespondentGroup, string Title, IReadOnlyList<QuestionView>? Questions = null,
    decimal? GroupWeight = null, int? MinimumSample = null);

public sealed record QuestionnaireView(Guid Id, string Status, QuestionnaireDefinitionView Definition);

public sealed record IntakeStatusView(long Accepted, long Stored, long Backlog, long AcceptedLastMinute, long StoredLastMinute,
    long QueueDepth, long ErrorQueueDepth, long Unaccounted, bool Alarm);

/// <summary>A CSV import's progress (<c>GET .../imports/{batch}</c>); status running, completed or failed.</summary>
public sealed record ImportJobView(Guid QuestionnaireId, string Batch, string Status, int RowsRead, int Accepted, int Duplicates, int Rejected,
    string? Error, DateTime StartedAt, DateTime? FinishedAt);

public sealed record ReplayResultView(int Replayed, int Kept, long Remaining);

/// <summary>The receipt of one response (<c>POST /api/survey/responses</c>): accepted, or duplicate with the first receipt.</summary>
public sealed record ReceiptView(string ResponseId, string Outcome, Guid? ReceiptId, DateTimeOffset? AcceptedAt);

/// <summary>One sample of the intake counters, for the rates chart.</summary>
public sealed record IntakeSample(DateTimeOffset At, long Accepted, long Stored);

/// <summary>Rates between two samples (responses per second).</summary>
public sealed record IntakeRate(DateTimeOffset At, double Accepted, double Stored);

public static class SurveyText
{
    /// <summary>A count or a rate as the page's culture writes it ("10.000" in vi-VN), without decimals.</summary>
    public static string Count(double value) => Math.Round(value).ToString("N0", System.Globalization.CultureInfo.CurrentCulture);

    public static string Group(string group) => group switch
    {
        "leaders" => Ui.T("Lãnh đạo", "Leaders"),
        "civil-servants" => Ui.T("Công chức", "Civil servants"),
        "citizens" => Ui.T("Người dân", "Citizens"),
        _ => group,
    };

    public static IReadOnlyList<IntakeRate> Rates(IReadOnlyList<IntakeSample> samples) =>
        samples.Zip(samples.Skip(1), (before, after) => (before, after))
            .Where(pair => pair.after.At > pair.before.At)
            .Select(pair =>
            {
                var seconds = (pair.after.At - pair.before.At).TotalSeconds;
                return new IntakeRate(pair.after.At, Math.Max(0, pair.after.Accepted - pair.before.Accepted) / seconds,
                    Math.Max(0, pair.after.Stored - pair.before.Stored) / seconds);
            }).ToList();
}
