namespace ParPlatform.Web.Features.Survey;

// The survey service's answers, only the members the pages show.
public sealed record QuestionnaireDefinitionView(Guid RoundId, string RespondentGroup, string Title);

public sealed record QuestionnaireView(Guid Id, string Status, QuestionnaireDefinitionView Definition);

public sealed record IntakeStatusView(long Accepted, long Stored, long Backlog, long AcceptedLastMinute, long StoredLastMinute,
    long QueueDepth, long ErrorQueueDepth, long Unaccounted, bool Alarm);
