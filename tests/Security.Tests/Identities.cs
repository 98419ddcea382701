using ParPlatform.ServiceDefaults.Identity;
namespace ParPlatform.Security.Tests;

public enum IdentityKind
{
    /// <summary>No token, an expired one, one signed by another key, or for another audience or issuer: 401 everywhere.</summary>
    Unauthenticated,

    /// <summary>A valid token that lacks the tenant claim: no service may treat it as anyone.</summary>
    Incomplete,

    /// <summary>A valid token of tenant bac-ninh: nothing of quang-ninh, not even whether it exists.</summary>
    OtherTenant,

    /// <summary>A valid token of a quang-ninh unit other than Sở Tư pháp: nothing of Sở Tư pháp's own work.</summary>
    OtherUnit,

    /// <summary>A real token of quang-ninh (or the Ministry) whose role lacks the permission of a route.</summary>
    Role,
}

public sealed record Identity(string Name, IdentityKind Kind, string? Token, string Role = "", string? Unit = null, Column? Column = null)
{
    /// <summary>The access table's column whose cell this identity's answer must match (null: the uniform rules).</summary>
    public Column? TableColumn => Kind == IdentityKind.Unauthenticated ? Tests.Column.Anonymous : Column;

    public override string ToString() => Name;

    public static IReadOnlyList<Identity> All(Tokens tokens) =>
    [
        new("no token", IdentityKind.Unauthenticated, null),
        new("expired token (real key)", IdentityKind.Unauthenticated,
            tokens.Mint(PlatformRoles.NationalAdmin, PlatformClaims.NationalTenant, expiresIn: TimeSpan.FromMinutes(-5))),
        new("token signed by another key", IdentityKind.Unauthenticated, tokens.MintWithForeignKey(PlatformRoles.NationalAdmin, PlatformClaims.NationalTenant)),
        new("token for another audience (real key)", IdentityKind.Unauthenticated,
            tokens.Mint(PlatformRoles.NationalAdmin, PlatformClaims.NationalTenant, audience: "another-api")),
        new("token of another issuer (real key)", IdentityKind.Unauthenticated,
            tokens.Mint(PlatformRoles.NationalAdmin, PlatformClaims.NationalTenant, issuer: "http://attacker.example/")),
        new("token without a tenant claim (real key)", IdentityKind.Incomplete, tokens.Mint(PlatformRoles.NationalAdmin, null), PlatformRoles.NationalAdmin),

        .. new[] { PlatformRoles.ProvincialAdmin, PlatformRoles.Appraiser, PlatformRoles.Viewer, PlatformRoles.SurveyOperator, PlatformRoles.SurveyPartner }
            .Select(role => new Identity($"bac-ninh {role}", IdentityKind.OtherTenant, tokens.Mint(role, Targets.OtherTenant), role)),
        new($"bac-ninh unit-officer", IdentityKind.OtherTenant,
            tokens.Mint(PlatformRoles.UnitOfficer, Targets.OtherTenant, Guid.NewGuid().ToString()), PlatformRoles.UnitOfficer),
        // Another tenant claiming a quang-ninh unit: the tenant must still decide.
        new($"bac-ninh unit-leader claiming Sở Tư pháp", IdentityKind.OtherTenant,
            tokens.Mint(PlatformRoles.UnitLeader, Targets.OtherTenant, Targets.SoTuPhap.ToString()), PlatformRoles.UnitLeader, Targets.SoTuPhap.ToString()),

        new("unit-officer of Sở Nội vụ", IdentityKind.OtherUnit,
            tokens.Mint(PlatformRoles.UnitOfficer, Targets.Tenant, Targets.SoNoiVu.ToString()), PlatformRoles.UnitOfficer, Targets.SoNoiVu.ToString(), Tests.Column.OfficerOther),
        new("unit-leader of Sở Nội vụ", IdentityKind.OtherUnit,
            tokens.Mint(PlatformRoles.UnitLeader, Targets.Tenant, Targets.SoNoiVu.ToString()), PlatformRoles.UnitLeader, Targets.SoNoiVu.ToString(), Tests.Column.LeaderOther),

        new("bo.quantri (national-admin)", IdentityKind.Role, tokens.Of("bo.quantri"), PlatformRoles.NationalAdmin, Column: Tests.Column.NationalAdmin),
        new("qn.quantri (provincial-admin)", IdentityKind.Role, tokens.Of("qn.quantri"), PlatformRoles.ProvincialAdmin, Column: Tests.Column.ProvincialAdmin),
        new("qn.xem (viewer)", IdentityKind.Role, tokens.Of("qn.xem"), PlatformRoles.Viewer, Column: Tests.Column.Viewer),
        new("qn.dieutra (survey-operator)", IdentityKind.Role, tokens.Of("qn.dieutra"), PlatformRoles.SurveyOperator, Column: Tests.Column.SurveyOperator),
        new("qn.tuphap.canbo (unit-officer)", IdentityKind.Role, tokens.Of("qn.tuphap.canbo"), PlatformRoles.UnitOfficer, Targets.SoTuPhap.ToString(), Tests.Column.OfficerOwn),
        new("qn.tuphap.lanhdao (unit-leader)", IdentityKind.Role, tokens.Of("qn.tuphap.lanhdao"), PlatformRoles.UnitLeader, Targets.SoTuPhap.ToString(), Tests.Column.LeaderOwn),
        new("qn.thamdinh (appraiser)", IdentityKind.Role, tokens.Of("qn.thamdinh"), PlatformRoles.Appraiser, Column: Tests.Column.Appraiser),
        new("qn-survey-partner (survey-partner)", IdentityKind.Role, tokens.Of("qn-survey-partner"), PlatformRoles.SurveyPartner, Column: Tests.Column.SurveyPartner),
        new("ministry-reporting (ministry-client)", IdentityKind.Role, tokens.Of("ministry-reporting"), PlatformRoles.MinistryClient, Column: Tests.Column.MinistryClient),
    ];
}
