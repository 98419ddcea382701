using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using ParPlatform.Criteria.Data;
using ParPlatform.Criteria.Model;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.ServiceDefaults.Problems;

namespace ParPlatform.Criteria.Apis;

/// <summary>The write paths of sets, each in one transaction with its integration event.</summary>
internal sealed class SetWriter(TenantDataSource dataSource, SetReader reader, TimeProvider clock)
{
    public async Task<Results<Created<CriteriaSet>, ForbiddenProblem, BadRequestProblem, ConflictProblem>> CreateAsync(Caller caller, CriteriaSetDefinition body, Guid? clonedFrom = null,
        CancellationToken cancellationToken = default)
    {
        if (!Access.IsAdministrator(caller)) return CriteriaProblems.Forbidden("Only administrators create criteria sets.");
        var set = Tree.Normalize(body);
        if (SetValidator.Validate(set) is { Count: > 0 } errors) return CriteriaProblems.Invalid(errors);
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
            return CriteriaProblems.DuplicateSet.With($"Tenant {caller.TenantId} already has set '{set.Code}' for {set.Year}.");
        }
        return TypedResults.Created($"/api/criteria/sets/{id}", (await reader.GetAsync(id, cancellationToken))!);
    }

    public async Task<Results<Ok<CriteriaSet>, NotFoundProblem, ForbiddenProblem, ConflictProblem, PreconditionFailedProblem, BadRequestProblem>> ReplaceAsync(Caller caller, Guid id, CriteriaSetDefinition body, string ifMatch,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync();
        var current = await LockForEditAsync(connection, transaction, caller, id, SetStatus.Draft);
        if (ifMatch.Length > 0 && ifMatch != current.ETag) return CriteriaProblems.PreconditionFailed(current.ETag);
        var set = Tree.Normalize(body);
        if (SetValidator.Validate(set) is { Count: > 0 } errors) return CriteriaProblems.Invalid(errors);
        try
        {
            await SetData.ReplaceAsync(connection, transaction, id, set, clock.GetUtcNow());
            await transaction.CommitAsync();
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return CriteriaProblems.DuplicateSet.With($"'{set.Code}' {set.Year} is taken.");
        }
        return TypedResults.Ok((await reader.GetAsync(id, cancellationToken))!);
    }

    public async Task<Results<NoContent, NotFoundProblem, ForbiddenProblem, ConflictProblem>> DeleteAsync(Caller caller, Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync();
        await LockForEditAsync(connection, transaction, caller, id, SetStatus.Draft);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM criteria_sets WHERE id = @id AND status = 'draft'", new { id }, transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync();
        return TypedResults.NoContent();
    }

    public async Task<Results<Ok<CriteriaSet>, NotFoundProblem, ForbiddenProblem, ConflictProblem>> TransitionAsync(Caller caller, Guid id, SetStatus from, SetStatus to, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync();
        var current = await LockForEditAsync(connection, transaction, caller, id, from);
        if (to == SetStatus.Published && current.Definition.ReferenceSkeleton)
            return CriteriaProblems.ReferenceSkeleton.With("Its unknown maxima would make every score meaningless: clone it and complete the points first.");
        var now = clock.GetUtcNow();
        await SetData.SetStatusAsync(connection, transaction, id, from, to, now);
        await transaction.CommitAsync();
        reader.Forget(id);
        return TypedResults.Ok((await reader.GetAsync(id, cancellationToken))!);
    }

    /// <summary>
    /// Loads the set under a row lock; throws (404, 403, 409: the transaction is rolled back) when the caller may not
    /// edit it or it is not in <paramref name="required"/> status.
    /// </summary>
    private static async Task<CriteriaSet> LockForEditAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Caller caller, Guid id, SetStatus required)
    {
        var current = await SetData.LoadAsync(connection, id, transaction);
        if (current is null || !Access.CanRead(caller, current.TenantId, current.Status)) throw CriteriaProblems.NotFound("Criteria set").ToException();
        if (!Access.CanAdminister(caller, current.TenantId)) throw CriteriaProblems.Forbidden($"Set {id} belongs to tenant {current.TenantId}.").ToException();
        if (current.Status != required)
        {
            throw (current.Status == SetStatus.Draft
                ? (Problem)CriteriaProblems.NotPublished.With($"Set {id} is a draft.")
                : CriteriaProblems.SetImmutable(id, current.Status.ToString())).ToException();
        }
        return current;
    }
}
