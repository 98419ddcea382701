using System.Net;
using System.Net.Http.Json;
using ParPlatform.ServiceDefaults.Messaging;

namespace ParPlatform.Identity.Management;

/// <summary>An evaluated unit as the criteria service registers it (the fields identity needs).</summary>
public sealed record CriteriaUnit(Guid Id, string TenantId, string Code, string Name, DateOnly ValidFrom, DateOnly? ValidTo, string? ProvinceTenantId)
{
    public bool IsValidIn(int year) => ValidFrom <= new DateOnly(year, 12, 31) && (ValidTo is null || ValidTo >= new DateOnly(year, 1, 1));
}

/// <summary>
/// The criteria service's unit registry over REST, through service discovery (identity never reads criteria's
/// database). Calls carry the administrator's own credentials, so criteria answers exactly what that caller may see.
/// </summary>
public sealed class CriteriaUnits(HttpClient http)
{
    public const string Address = "http://_http.criteria";

    public async Task<CriteriaUnit?> FindAsync(string unitId, HttpContext caller)
    {
        if (!Guid.TryParse(unitId, out var id))
        {
            return null;
        }
        using var request = Request($"/api/criteria/units/{id}", caller);
        using var response = await http.SendAsync(request);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<CriteriaUnit>();
    }

    /// <summary>Every unit of <paramref name="tenantId"/> (the national tenant may list another tenant's).</summary>
    public async Task<IReadOnlyList<CriteriaUnit>> ListAsync(string tenantId, HttpContext caller)
    {
        using var request = Request($"/api/criteria/units?tenant={Uri.EscapeDataString(tenantId)}", caller);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<List<CriteriaUnit>>() ?? [];
    }

    private static HttpRequestMessage Request(string path, HttpContext caller)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (caller.Request.Headers.Authorization.ToString() is { Length: > 0 } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        // Service tests act as callers through the X-Par-* headers where the services trust them.
        foreach (var header in caller.Request.Headers.Where(header => header.Key.StartsWith("X-Par-", StringComparison.OrdinalIgnoreCase)))
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToString());
        }
        return request;
    }
}
