using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using ParPlatform.ServiceDefaults.Identity;

namespace ParPlatform.ServiceDefaults.Data;

/// <summary>
/// The tenant whose rows the current unit of work may see, handed to PostgreSQL row-level security as the setting
/// <c>par.tenant</c> on every connection opened through <see cref="TenantDataSource"/>. A request of a provincial or
/// unit caller is scoped to the caller's tenant, so a query that forgets its <c>WHERE tenant_id = ...</c> still returns
/// (and may write) only that tenant's rows. Work that spans tenants by design — the Ministry's national callers, trusted
/// in-cluster calls, anonymous public reads of published results, message consumers and background jobs — runs in the
/// all-tenants scope <c>*</c>, and its code filters as it always did.
/// </summary>
public static class TenantScope
{
    /// <summary>The value of <c>par.tenant</c> that the row-level security policies read as "every tenant".</summary>
    public const string AllTenants = "*";

    /// <summary>The PostgreSQL setting the policies read (<c>current_setting('par.tenant', true)</c>).</summary>
    public const string Setting = "par.tenant";

    private static readonly AsyncLocal<string?> Ambient = new();

    /// <summary>The scope of the current flow; outside any request (consumers, hosted services) every tenant.</summary>
    public static string Current => Ambient.Value ?? AllTenants;

    /// <summary>Runs what follows (until disposed) in <paramref name="tenantId"/>'s scope, e.g. a consumer handling one tenant's message.</summary>
    public static Restorer Enter(string tenantId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        var previous = Ambient.Value;
        Ambient.Value = tenantId;
        return new Restorer(previous);
    }

    /// <summary>The scope a request runs in: its caller's tenant, or every tenant for national, in-cluster and anonymous calls.</summary>
    public static string ForCaller(Caller? caller) => caller is null || caller.IsNational ? AllTenants : caller.TenantId;

    /// <summary>Scopes every request (REST and gRPC) after authentication; see <see cref="ForCaller"/>.</summary>
    public static IApplicationBuilder UseTenantScope(this IApplicationBuilder app) =>
        app.Use(static async (context, next) =>
        {
            // Set inside an async method, so the value ends with the request instead of leaking into the connection's next one.
            Ambient.Value = ForCaller(Caller.From(context.User));
            await next(context);
        });

    public readonly struct Restorer(string? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
