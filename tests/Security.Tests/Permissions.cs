namespace ParPlatform.Security.Tests;

/// <summary>
/// Who may do what, as README "Identity, roles and signing in" and the services' access rules say. Used to pick the
/// calls that a role must be refused; calls a role may make are not made (they would change the targets).
/// </summary>
public static class Permissions
{
    private static readonly string[] Admins = [PlatformRoles.NationalAdmin, PlatformRoles.ProvincialAdmin];
    private static readonly string[] UnitRoles = [PlatformRoles.UnitOfficer, PlatformRoles.UnitLeader];
    private static readonly string[] Overseers = [PlatformRoles.NationalAdmin, PlatformRoles.ProvincialAdmin, PlatformRoles.Appraiser, PlatformRoles.Viewer];
    private static readonly string[] SurveyEditors = [.. Admins, PlatformRoles.SurveyOperator];
    private static readonly string[] SurveySubmitters = [.. Admins, PlatformRoles.SurveyOperator, PlatformRoles.SurveyPartner];
    private static readonly string[] LiveReaders = [.. Admins, PlatformRoles.Appraiser];

    /// <summary>The roles that may make this write; null when any signed-in caller may (it stores and reads nothing).</summary>
    public static string[]? Writers(RestRoute route)
    {
        var path = route.Template;
        return route.Service switch
        {
            "criteria" when path.EndsWith("/sets/validate", StringComparison.Ordinal) => null, // a pure check of the posted tree
            "criteria" => Admins,
            "submission" when path.EndsWith("/approve", StringComparison.Ordinal) => [PlatformRoles.UnitLeader],
            "submission" when path.Contains("/appraisal/", StringComparison.Ordinal) => [PlatformRoles.Appraiser],
            "submission" when path.EndsWith("/reopen", StringComparison.Ordinal) => [PlatformRoles.Appraiser, PlatformRoles.UnitLeader],
            "submission" => UnitRoles,
            "evidence-storage" => UnitRoles,
            "survey" when path.Contains("/questionnaires", StringComparison.Ordinal) && !path.Contains("/imports", StringComparison.Ordinal) => SurveyEditors,
            "survey" => SurveySubmitters,
            "ranking" => Admins,
            _ => [],
        };
    }

    /// <summary>Reads limited to some roles (the unit's own work, live figures, operations); null for tenant-wide reads.</summary>
    public static string[]? Readers(RestRoute route)
    {
        var path = route.Template;
        return route.Service switch
        {
            "submission" when path.EndsWith("/progress", StringComparison.Ordinal) => Overseers,
            "submission" => [.. Overseers, .. UnitRoles],
            "evidence-storage" when path.EndsWith("/evidence", StringComparison.Ordinal) => UnitRoles, // the caller's own unit's list
            "evidence-storage" => [.. Overseers, .. UnitRoles],
            "ranking" when path.Contains("/what-if", StringComparison.Ordinal) => [.. LiveReaders, .. UnitRoles],
            "ranking" when path.EndsWith("/live", StringComparison.Ordinal) => LiveReaders,
            "survey" when path.EndsWith("/ops/intake", StringComparison.Ordinal) => SurveyEditors,
            _ => null,
        };
    }

    /// <summary>Routes about Sở Tư pháp's own work, which another unit of the tenant must not reach.</summary>
    public static bool IsUnitScoped(RestRoute route) => route.Service switch
    {
        "submission" => !route.Template.EndsWith("/progress", StringComparison.Ordinal),
        "evidence-storage" => route.Template.Contains("/evidence/{", StringComparison.Ordinal),
        "ranking" => route.Template.Contains("/what-if", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>gRPC methods limited to some roles (by full name), with the same rules as REST.</summary>
    public static string[]? GrpcCallers(string method) => method switch
    {
        "par.survey.v1.SurveyService/SubmitResponses" => SurveySubmitters,
        "par.submission.v1.SubmissionService/GetAssessment" => [.. Overseers, .. UnitRoles],
        "par.evidence.v1.EvidenceService/GetEvidenceMetadata" => [.. Overseers, .. UnitRoles],
        _ => null,
    };

    public static bool IsGrpcUnitScoped(string method) =>
        method is "par.submission.v1.SubmissionService/GetAssessment" or "par.evidence.v1.EvidenceService/GetEvidenceMetadata";
}
