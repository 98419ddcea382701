namespace ParPlatform.Web.Platform;

// What the console reads of the services' answers (their JSON, camelCase). Only the members a page shows.

public sealed record RoundWindowsView(
    DateTimeOffset SelfAssessmentOpensAt, DateTimeOffset SelfAssessmentClosesAt, DateTimeOffset AppraisalOpensAt,
    DateTimeOffset AppraisalClosesAt, DateTimeOffset SurveyOpensAt, DateTimeOffset SurveyClosesAt, DateTimeOffset PublicationAt);

public sealed record RoundView(Guid Id, string TenantId, int Year, string Name, Guid CriteriaSetId, string RankingGroup, RoundWindowsView Windows);

public sealed record UnitView(Guid Id, string Code, string Name);

public sealed record RoundUnitView(UnitView Unit, IReadOnlyList<string> NotApplicableCodes, decimal ApplicableMaxPoints);

public sealed record AssessmentSummary(Guid Id, Guid RoundId, Guid UnitId, string Status, int AppraisalRound, int Revision);

/// <summary>An evidence file's metadata (evidence-storage), as the scorecard and the appraisal board show it.</summary>
public sealed record EvidenceView(Guid Id, Guid UnitId, Guid RoundId, string Title, string? DocumentNumber, string? Issuer, string? IssueDate,
    string FileName, string MediaType, long Size, string UploadedBy, DateTimeOffset UploadedAt);
