using Npgsql;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Identity;

namespace ParPlatform.Submission.Data;

/// <summary>
/// One write to one assessment: its row locked for the transaction (writers of the same assessment queue up), the
/// caller and the server clock at hand, and every change recorded in the audit log in the same transaction.
/// </summary>
public sealed class AssessmentSession : IAsyncDisposable
{
    private AssessmentSession(NpgsqlConnection connection, NpgsqlTransaction transaction, Assessment assessment, Caller caller, DateTimeOffset now)
    {
        Connection = connection;
        Transaction = transaction;
        Assessment = assessment;
        Caller = caller;
        Now = now;
    }

    public NpgsqlConnection Connection { get; }
    public NpgsqlTransaction Transaction { get; }
    public Assessment Assessment { get; private set; }
    public Caller Caller { get; }
    public DateTimeOffset Now { get; }

    public static async Task<AssessmentSession> OpenAsync(TenantDataSource dataSource, Guid id, Caller caller, TimeProvider clock,
        CancellationToken cancellationToken = default)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var transaction = await connection.BeginTransactionAsync();
        var assessment = await AssessmentData.GetAsync(connection, id, transaction, forUpdate: true);
        if (assessment is null)
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
            throw SubmissionProblems.NotFound($"Assessment {id}");
        }
        return new AssessmentSession(connection, transaction, assessment, caller, clock.GetUtcNow());
    }

    public Task<IReadOnlyList<AssessmentItem>> ItemsAsync() => AssessmentData.ItemsAsync(Connection, Assessment.Id, Transaction);

    public Task AuditAsync(string? itemCode, string field, string? before, string? after, string? reason = null) =>
        AssessmentData.AppendAuditAsync(Connection, Transaction, Assessment.Id,
            new AuditEntry(0, Now, Caller.UserId, Caller.DisplayName, Caller.Role, itemCode, field, before, after, reason));

    public async Task ChangeAsync(Func<Assessment, Assessment> change, string? reason = null)
    {
        var before = Assessment;
        Assessment = change(Assessment) with { UpdatedAt = Now };
        await AssessmentData.UpdateAssessmentAsync(Connection, Transaction, Assessment);
        if (before.Status != Assessment.Status)
        {
            await AuditAsync(null, "status", before.Status, Assessment.Status, reason);
        }
        if (before.AppraisalRound != Assessment.AppraisalRound)
        {
            await AuditAsync(null, "appraisalRound", before.AppraisalRound.ToString(), Assessment.AppraisalRound.ToString(), reason);
        }
    }

    public Task CommitAsync() => Transaction.CommitAsync();

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
