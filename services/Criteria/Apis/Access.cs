using ParPlatform.Criteria.Model;
using ParPlatform.ServiceDefaults.Identity;

namespace ParPlatform.Criteria.Apis;

/// <summary>Who may read and administer what: the same rules for REST and gRPC.</summary>
internal static class Access
{
    /// <summary>
    /// The Ministry (national tenant) reads every tenant; a province reads its own rows and the national sets once
    /// published. A null caller is another service over gRPC inside the cluster (interim: no service identity yet).
    /// </summary>
    public static bool CanRead(Caller? caller, string tenantId, SetStatus? status = null) =>
        caller is null || caller.IsNational || caller.TenantId == tenantId
        || (tenantId == PlatformClaims.NationalTenant && status is SetStatus.Published or SetStatus.Retired);

    /// <summary>A unit as <see cref="CanRead"/>, and a province's own province unit (kept by the national tenant) to that province.</summary>
    public static bool CanReadUnit(Caller? caller, EvaluatedUnit unit) =>
        CanRead(caller, unit.TenantId) || (unit.ProvinceTenantId is { } province && caller?.TenantId == province);

    /// <summary>Writes stay within the caller's tenant and need its administrator role.</summary>
    public static bool CanAdminister(Caller caller, string tenantId) =>
        caller.TenantId == tenantId
        && (caller.HasRole(PlatformRoles.ProvincialAdmin) || (caller.IsNational && caller.HasRole(PlatformRoles.NationalAdmin)));

    public static bool IsAdministrator(Caller caller) =>
        caller.HasRole(PlatformRoles.ProvincialAdmin) || (caller.IsNational && caller.HasRole(PlatformRoles.NationalAdmin));
}
