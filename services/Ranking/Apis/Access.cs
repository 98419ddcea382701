using ParPlatform.ServiceDefaults.Identity;
namespace ParPlatform.Ranking.Apis;

/// <summary>
/// Who may see what. Published rankings are public to their tenant and to the Ministry (national tenant, ministry
/// clients included); live figures, which still move, only to the administrators and appraisers of the round's
/// tenant; a unit's own leaders and officers may see its live what-if.
/// </summary>
internal static class Access
{
    public static bool CanReadPublished(Caller caller, string tenantId) => caller.IsNational || caller.TenantId == tenantId;

    /// <summary>
    /// The tenant a listing of publications is limited to: national callers (ministry clients, national admins) any
    /// or all (null); a province's callers their own; null result when a province's caller asks for another tenant.
    /// </summary>
    public static TenantScope? PublicationsTenant(Caller caller, string? requestedTenant) =>
        caller.IsNational ? new TenantScope(string.IsNullOrWhiteSpace(requestedTenant) ? null : requestedTenant)
        : string.IsNullOrWhiteSpace(requestedTenant) || requestedTenant == caller.TenantId ? new TenantScope(caller.TenantId)
        : null;

    /// <param name="Tenant">null: every tenant.</param>
    public sealed record TenantScope(string? Tenant);

    public static bool CanReadLive(Caller caller, string tenantId) =>
        (caller.IsNational || caller.TenantId == tenantId)
        && caller.HasRole(PlatformRoles.NationalAdmin, PlatformRoles.ProvincialAdmin, PlatformRoles.Appraiser);

    public static bool CanPublish(Caller caller, string tenantId) =>
        caller.TenantId == tenantId && caller.HasRole(PlatformRoles.NationalAdmin, PlatformRoles.ProvincialAdmin);

    public static bool CanSeeUnitLive(Caller caller, string tenantId, Guid unitId) =>
        CanReadLive(caller, tenantId)
        || (caller.TenantId == tenantId && caller.UnitId == unitId.ToString()
            && caller.HasRole(PlatformRoles.UnitLeader, PlatformRoles.UnitOfficer));
}
