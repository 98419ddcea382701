using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using ParPlatform.Criteria.Data;
using ParPlatform.Criteria.Model;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.Criteria.Apis;

/// <summary>The registry of evaluated units of a tenant and the lineage that says which units became which.</summary>
internal static class UnitsApi
{
    public static RouteGroupBuilder MapUnitsApi(this RouteGroupBuilder api)
    {
        var units = api.MapGroup("/units").WithTags("Evaluated units").RequireAuthorization();
        units.MapGet("/", ListUnits);
        units.MapGet("/{id:guid}", async Task<Results<Ok<EvaluatedUnit>, NotFoundProblem>> (Guid id, HttpContext http, TenantDataSource dataSource) =>
            await ReadableAsync(id, http, dataSource) is { } unit ? TypedResults.Ok(unit) : CriteriaProblems.NotFound("Unit"));
        units.MapPost("/", CreateUnit);
        units.MapPut("/{id:guid}", UpdateUnit);
        units.MapGet("/{id:guid}/lineage", ResolveLineage);
        api.MapGet("/lineage", ListLineage).WithTags("Evaluated units").RequireAuthorization();
        api.MapPost("/lineage", RecordLineage).WithTags("Evaluated units").RequireAuthorization();
        return api;
    }

    /// <param name="ProvinceTenantId">Only on a province unit registered by the national tenant: the province's own tenant.</param>
    public sealed record UnitRequest(
        string Code, string Name, EvaluatedLevel Type, Guid? ParentId, DateOnly ValidFrom, DateOnly? ValidTo = null, string? ProvinceTenantId = null);

    public sealed record LineageRequest(LineageKind Kind, DateOnly EffectiveOn, IReadOnlyList<Guid> FromUnitIds, IReadOnlyList<Guid> ToUnitIds, string? Note = null);

    public sealed record ResolvedUnit(EvaluatedUnit Unit, LineageKind? Kind, DateOnly? EffectiveOn);

    /// <param name="at">Units valid on that day; all units when absent.</param>
    /// <param name="tenant">Only the national tenant may look at another tenant's registry.</param>
    private static async Task<Ok<IReadOnlyList<EvaluatedUnit>>> ListUnits(
        HttpContext http, TenantDataSource dataSource, EvaluatedLevel? type, DateOnly? at, Guid? parentId, string? tenant)
    {
        var caller = Caller.Of(http);
        var tenantId = caller.IsNational && tenant is not null ? tenant : caller.TenantId;
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        return TypedResults.Ok(await UnitData.ListAsync(connection, tenantId, type, at, parentId));
    }

    /// <summary>
    /// Every merger, split and rename of the tenant, oldest first: what a registry page shows in one read (resolving
    /// each unit's lineage separately is one request per unit).
    /// </summary>
    /// <param name="tenant">Only the national tenant may look at another tenant's events.</param>
    private static async Task<Ok<IReadOnlyList<LineageEvent>>> ListLineage(HttpContext http, TenantDataSource dataSource, string? tenant)
    {
        var caller = Caller.Of(http);
        var tenantId = caller.IsNational && tenant is not null ? tenant : caller.TenantId;
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        return TypedResults.Ok(await UnitData.LineageAsync(connection, tenantId));
    }

    private static async Task<Results<Created<EvaluatedUnit>, ForbiddenProblem, BadRequestProblem, ConflictProblem>> CreateUnit(UnitRequest body, HttpContext http, TenantDataSource dataSource)
    {
        var caller = Caller.Of(http);
        if (!Access.IsAdministrator(caller)) return CriteriaProblems.Forbidden("Only administrators register units.");
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        if (await ValidateAsync(connection, caller, body) is { Count: > 0 } errors) return CriteriaProblems.Invalid(errors, "The unit is invalid.");
        var unit = new EvaluatedUnit(Guid.CreateVersion7(), caller.TenantId, body.Code.Trim(), body.Name.Trim(), body.Type, body.ParentId, body.ValidFrom, body.ValidTo, Blank(body.ProvinceTenantId));
        try
        {
            await UnitData.InsertAsync(connection, unit);
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ForeignKeyViolation)
        {
            return CriteriaProblems.UnitConflict.With(exception.MessageText);
        }
        return TypedResults.Created($"/api/criteria/units/{unit.Id}", unit);
    }

    private static async Task<Results<Ok<EvaluatedUnit>, NotFoundProblem, ForbiddenProblem, BadRequestProblem>> UpdateUnit(Guid id, UnitRequest body, HttpContext http, TenantDataSource dataSource)
    {
        var caller = Caller.Of(http);
        var current = await ReadableAsync(id, http, dataSource);
        if (current is null) return CriteriaProblems.NotFound("Unit");
        if (!Access.CanAdminister(caller, current.TenantId)) return CriteriaProblems.Forbidden($"Unit {id} belongs to tenant {current.TenantId}.");
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        if (await ValidateAsync(connection, caller, body) is { Count: > 0 } errors) return CriteriaProblems.Invalid(errors, "The unit is invalid.");
        var unit = current with { Code = body.Code.Trim(), Name = body.Name.Trim(), Type = body.Type, ParentId = body.ParentId, ValidFrom = body.ValidFrom, ValidTo = body.ValidTo, ProvinceTenantId = Blank(body.ProvinceTenantId) ?? current.ProvinceTenantId };
        await UnitData.UpdateAsync(connection, unit);
        return TypedResults.Ok(unit);
    }

    /// <summary>Forward: which unit(s) this one is today. Backward: which unit(s) it came from.</summary>
    private static async Task<Results<Ok<List<ResolvedUnit>>, NotFoundProblem>> ResolveLineage(Guid id, string? direction, HttpContext http, TenantDataSource dataSource)
    {
        var unit = await ReadableAsync(id, http, dataSource);
        if (unit is null) return CriteriaProblems.NotFound("Unit");
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        var links = Lineage.Resolve(id, await UnitData.LineageAsync(connection, unit.TenantId), forward: direction != "backward");
        var units = (await UnitData.LoadManyAsync(connection, links.Select(link => link.UnitId))).ToDictionary(u => u.Id);
        return TypedResults.Ok(links.Select(link => new ResolvedUnit(units[link.UnitId], link.Kind, link.EffectiveOn)).ToList());
    }

    private static async Task<Results<Created<LineageEvent>, ForbiddenProblem, BadRequestProblem>> RecordLineage(LineageRequest body, HttpContext http, TenantDataSource dataSource, TimeProvider clock)
    {
        var caller = Caller.Of(http);
        if (!Access.IsAdministrator(caller)) return CriteriaProblems.Forbidden("Only administrators record lineage.");
        var shape = body.Kind switch
        {
            LineageKind.Merge => body.FromUnitIds.Count >= 2 && body.ToUnitIds.Count == 1,
            LineageKind.Split => body.FromUnitIds.Count == 1 && body.ToUnitIds.Count >= 2,
            _ => body.FromUnitIds.Count == 1 && body.ToUnitIds.Count == 1,
        };
        if (!shape)
            return CriteriaProblems.Invalid(new Dictionary<string, string[]> { ["kind"] = ["A merge joins 2+ units into 1, a split divides 1 into 2+, a rename maps 1 to 1."] }, "The lineage event is invalid.");
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        var ids = body.FromUnitIds.Concat(body.ToUnitIds).Distinct().ToList();
        var found = await UnitData.LoadManyAsync(connection, ids);
        var missing = ids.Except(found.Where(u => u.TenantId == caller.TenantId).Select(u => u.Id)).ToList();
        if (missing.Count > 0)
            return CriteriaProblems.Invalid(missing.ToDictionary(id => id.ToString(), _ => new[] { "No such unit in your tenant." }), "The lineage event is invalid.");

        var lineage = new LineageEvent(Guid.CreateVersion7(), caller.TenantId, body.Kind, body.EffectiveOn, body.FromUnitIds, body.ToUnitIds, body.Note);
        await using var transaction = await connection.BeginTransactionAsync();
        await UnitData.InsertLineageAsync(connection, transaction, lineage, clock.GetUtcNow());
        await transaction.CommitAsync();
        return TypedResults.Created($"/api/criteria/lineage/{lineage.Id}", lineage);
    }

    /// <summary>
    /// The parent must be a unit the caller may read: one of its own tenant's, or its own province unit (kept by the
    /// national tenant, <see cref="EvaluatedUnit.ProvinceTenantId"/>); the national tenant reads every unit. A parent in
    /// another tenant is "no such unit", exactly like an id that does not exist.
    /// </summary>
    private static async Task<Dictionary<string, string[]>> ValidateAsync(NpgsqlConnection connection, Caller caller, UnitRequest body)
    {
        var errors = Validate(body);
        if (body.ParentId is { } parentId && (await UnitData.LoadAsync(connection, parentId) is not { } parent || !Access.CanReadUnit(caller, parent)))
        {
            errors["parentId"] = ["No such unit."];
        }
        if (Blank(body.ProvinceTenantId) is not null && !(caller.IsNational && body.Type == EvaluatedLevel.Province))
        {
            errors["provinceTenantId"] = ["Only the national tenant names a province unit's own tenant."];
        }
        return errors;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static Dictionary<string, string[]> Validate(UnitRequest body)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Code)) errors["code"] = ["Code is required."];
        if (string.IsNullOrWhiteSpace(body.Name)) errors["name"] = ["Name is required."];
        if (body.ValidTo is { } to && to < body.ValidFrom) errors["validTo"] = ["A unit cannot end before it starts."];
        return errors;
    }

    private static async Task<EvaluatedUnit?> ReadableAsync(Guid id, HttpContext http, TenantDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        return await UnitData.LoadAsync(connection, id) is { } unit && Access.CanReadUnit(Caller.Of(http), unit) ? unit : null;
    }
}
