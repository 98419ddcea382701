using Dapper;
using Npgsql;
using ParPlatform.Criteria.Data;
using ParPlatform.Criteria.Model;

namespace ParPlatform.Criteria.Apis;

/// <summary>The write paths of sets, each in one transaction with its integration event.</summary>
internal sealed class SetWriter(TenantDataSource dataSource, SetReader reader, TimeProvider clock)
{
    public async Task<IResult> CreateAsync(Caller caller, CriteriaSetDefinition body, Guid? clonedFrom = null,
        CancellationToken cancellationToken = default)
    {
        if (!Access.IsAdministrator(caller)) return Problems.Forbidden("Only administrators create criteria sets.");
        var set = Tree.Normalize(body);
        if (SetValidator.Validate(set) is { Count: > 0 } errors) return Problems.Validation(errors);
        var id = Guid.CreateVersion7();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            await SetData.InsertAsync(connection, transaction, id, caller.TenantId, set, clonedFrom, clock.GetUtcNow());
            await transaction.CommitAsync();
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Problems.Conflict("duplicate-set", "A set with this code and year exists.",
                $"Tenant {caller.TenantId} already has set '{set.Code}' for {set.Year}.");
        }
        return TypedResults.Created($"/api/criteria/sets/{id}", await reader.GetAsync(id, cancellationToken));
    }

    public async Task<IResult> ReplaceAsync(Caller caller, Guid id, CriteriaSetDefinition body, string ifMatch,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync();
        var (current, refused) = await LockForEditAsync(connection, transaction, caller, id, SetStatus.Draft);
        if (refused is not null) return refused;
        if (ifMatch.Length > 0 && ifMatch != current!.ETag) return Problems.PreconditionFailed(current.ETag);
        var set = Tree.Normalize(body);
        if (SetValidator.Validate(set) is { Count: > 0 } errors) return Problems.Validation(errors);
        try
        {
            await SetData.ReplaceAsync(connection, transaction, id, set, clock.GetUtcNow());
            await transaction.CommitAsync();
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Problems.Conflict("duplicate-set", "A set with this code and year exists.", $"'{set.Code}' {set.Year} is taken.");
        }
        return TypedResults.Ok(await reader.GetAsync(id, cancellationToken));
    }

    public async Task<IResult> DeleteAsync(Caller caller, Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync();
        var (_, refused) = await LockForEditAsync(connection, transaction, caller, id, SetStatus.Draft);
        if (refused is not null) return refused;
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM criteria_sets WHERE id = @id AND status = 'draft'", new { id }, transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync();
        return TypedResults.NoContent();
    }

    public async Task<IResult> TransitionAsync(Caller caller, Guid id, SetStatus from, SetStatus to, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync();
        var (current, refused) = await LockForEditAsync(connection, transaction, caller, id, from);
        if (refused is not null) return refused;
        if (to == SetStatus.Published && current!.Definition.ReferenceSkeleton)
            return Problems.Conflict("reference-skeleton", "A reference skeleton cannot be published.",
                "Its unknown maxima would make every score meaningless: clone it and complete the points first.");
        var now = clock.GetUtcNow();
        await SetData.SetStatusAsync(connection, transaction, id, from, to, now);
        await transaction.CommitAsync();
        reader.Forget(id);
        return TypedResults.Ok(await reader.GetAsync(id, cancellationToken));
    }

    /// <summary>Loads the set under a row lock and refuses when the caller may not edit it or it is not in <paramref name="required"/> status.</summary>
    private static async Task<(CriteriaSet?, IResult?)> LockForEditAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Caller caller, Guid id, SetStatus required)
    {
        var current = await SetData.LoadAsync(connection, id, transaction);
        if (current is null || !Access.CanRead(caller, current.TenantId, current.Status)) return (null, Problems.NotFound("Criteria set"));
        if (!Access.CanAdminister(caller, current.TenantId)) return (current, Problems.Forbidden($"Set {id} belongs to tenant {current.TenantId}."));
        if (current.Status != required)
        {
            return (current, current.Status == SetStatus.Draft
                ? Problems.Conflict("not-published", "Only a published set can be retired.", $"Set {id} is a draft.")
                : Problems.Immutable(id, current.Status.ToString()));
        }
        return (current, null);
    }
}
