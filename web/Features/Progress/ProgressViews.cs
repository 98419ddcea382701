namespace ParPlatform.Web.Features.Progress;

// GET /api/submission/rounds/{id}/progress, the members the page shows.
public sealed record RoundProgressView(Guid RoundId, int Units, IReadOnlyList<Guid> NotSubmitted, IReadOnlyList<UnitProgressView> Progress);

public sealed record UnitProgressView(Guid UnitId, string UnitName, Guid? AssessmentId, string Status, int Items, int Scored, int MissingEvidence);
