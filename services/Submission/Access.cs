using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.Submission.Data;

namespace ParPlatform.Submission;

/// <summary>Who may do what to an assessment, and when: checked on every read and write.</summary>
public static class Access
{
    public static bool IsUnitMember(Caller caller, Assessment assessment) =>
        caller.HasRole(PlatformRoles.UnitOfficer, PlatformRoles.UnitLeader) &&
        caller.TenantId == assessment.TenantId &&
        Guid.TryParse(caller.UnitId, out var unit) && unit == assessment.UnitId;

    public static bool IsTenantOverseer(Caller caller, string tenantId) =>
        caller.HasRole(PlatformRoles.NationalAdmin) ||
        (caller.TenantId == tenantId && caller.HasRole(PlatformRoles.Appraiser, PlatformRoles.ProvincialAdmin, PlatformRoles.Viewer));

    public static void EnsureCanRead(Caller caller, Assessment assessment)
    {
        if (!IsUnitMember(caller, assessment) && !IsTenantOverseer(caller, assessment.TenantId))
        {
            throw SubmissionProblems.Forbidden("Only the unit itself and the round's appraisers and administrators may read this assessment.");
        }
    }

    public static void EnsureUnitMember(Caller caller, Assessment assessment)
    {
        if (!IsUnitMember(caller, assessment))
        {
            throw SubmissionProblems.Forbidden("Only officials of the assessed unit may change its self-assessment.");
        }
    }

    public static bool IsLeader(Caller caller, Assessment assessment) =>
        IsUnitMember(caller, assessment) && caller.HasRole(PlatformRoles.UnitLeader);

    public static bool IsAppraiser(Caller caller, Assessment assessment) =>
        caller.HasRole(PlatformRoles.Appraiser) && caller.TenantId == assessment.TenantId;

    public static void EnsureLeader(Caller caller, Assessment assessment)
    {
        if (!IsLeader(caller, assessment))
        {
            throw SubmissionProblems.LeaderOnly.With("Only the unit's leader may approve or return its self-assessment.").ToException();
        }
    }

    public static void EnsureAppraiser(Caller caller, Assessment assessment)
    {
        if (!IsAppraiser(caller, assessment))
        {
            throw SubmissionProblems.Forbidden("Only appraisers of the round's tenant may appraise.");
        }
    }

    /// <summary>Reopening is for the tenant's appraisers (a finalised appraisal) and the unit's leader (its own submission).</summary>
    public static void EnsureMayReopen(Caller caller, Assessment assessment)
    {
        if (!IsAppraiser(caller, assessment) && !IsLeader(caller, assessment))
        {
            throw SubmissionProblems.Forbidden("Only the round's appraisers or the unit's leader may reopen this assessment.");
        }
    }

    /// <summary>The self-assessment window, against the server clock: the lock holds whether or not any job ran.</summary>
    public static void EnsureSelfAssessmentOpen(Round round, DateTimeOffset now)
    {
        var opens = round.SelfAssessmentOpensAt?.ToDateTimeOffset();
        var closes = round.SelfAssessmentClosesAt?.ToDateTimeOffset();
        if ((opens is not null && now < opens) || (closes is not null && now >= closes))
        {
            throw SubmissionProblems.SelfAssessmentClosed.With($"The self-assessment window is {opens:u} to {closes:u}; it is now {now:u}.").ToException();
        }
    }

    public static void EnsureAppraisalOpen(Round round, DateTimeOffset now)
    {
        var opens = round.AppraisalOpensAt?.ToDateTimeOffset();
        var closes = round.AppraisalClosesAt?.ToDateTimeOffset();
        if ((opens is not null && now < opens) || (closes is not null && now >= closes))
        {
            throw SubmissionProblems.AppraisalClosed.With($"The appraisal window is {opens:u} to {closes:u}; it is now {now:u}.").ToException();
        }
    }
}
