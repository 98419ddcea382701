using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using Npgsql;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.Survey.Questionnaires;

namespace ParPlatform.Survey.Data;

/// <summary>Questionnaire rows; published ones are cached for good, since they can no longer change.</summary>
public sealed class QuestionnaireData(TenantDataSource dataSource)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<Guid, Questionnaire> _published = new();

    public async Task<Questionnaire?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        if (_published.TryGetValue(id, out var cached))
        {
            return cached;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            $"{SelectSql} WHERE id = @id", new { id });
        var questionnaire = row?.ToQuestionnaire();
        if (questionnaire is { IsPublished: true })
        {
            _published[id] = questionnaire;
        }
        return questionnaire;
    }

    public async Task<IReadOnlyList<Questionnaire>> ListAsync(string tenantId, Guid? roundId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(
            $"{SelectSql} WHERE tenant_id = @tenantId AND (@roundId::uuid IS NULL OR round_id = @roundId) ORDER BY created_at",
            new { tenantId, roundId });
        return rows.Select(row => row.ToQuestionnaire()).ToList();
    }

    public async Task InsertAsync(Questionnaire questionnaire, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO questionnaires (id, tenant_id, round_id, respondent_group, status, definition, created_at)
            VALUES (@Id, @TenantId, @RoundId, @Group, 'draft', @Definition::jsonb, @CreatedAt)
            """,
            new
            {
                questionnaire.Id, questionnaire.TenantId, questionnaire.Definition.RoundId,
                Group = questionnaire.Definition.RespondentGroup,
                Definition = JsonSerializer.Serialize(questionnaire.Definition, Json), questionnaire.CreatedAt,
            });
    }

    /// <returns>false when the questionnaire is no longer a draft (published ones are immutable).</returns>
    public async Task<bool> UpdateDraftAsync(Guid id, QuestionnaireDefinition definition, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(
            """
            UPDATE questionnaires SET definition = @Definition::jsonb, round_id = @RoundId, respondent_group = @Group
            WHERE id = @id AND status = 'draft'
            """,
            new { id, Definition = JsonSerializer.Serialize(definition, Json), definition.RoundId, Group = definition.RespondentGroup }) == 1;
    }

    public enum DeleteOutcome { Deleted, Published, HasResponses }

    /// <summary>Deletes a draft that no response refers to; the check and the delete are one statement.</summary>
    public async Task<DeleteOutcome> DeleteDraftAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (deleted, published, hasResponses) = await connection.QuerySingleAsync<(bool, bool, bool)>(
            """
            WITH attached AS (SELECT EXISTS (SELECT 1 FROM intake_receipts WHERE questionnaire_id = @id) AS found),
            deleted AS (
                DELETE FROM questionnaires q WHERE q.id = @id AND q.status = 'draft' AND NOT (SELECT found FROM attached)
                RETURNING q.id)
            SELECT EXISTS (SELECT 1 FROM deleted),
                   EXISTS (SELECT 1 FROM questionnaires WHERE id = @id AND status <> 'draft'),
                   (SELECT found FROM attached)
            """, new { id });
        _published.TryRemove(id, out _);
        return deleted ? DeleteOutcome.Deleted : published ? DeleteOutcome.Published
            : hasResponses ? DeleteOutcome.HasResponses : DeleteOutcome.Deleted; // deleted meanwhile by someone else
    }

    /// <returns>false when someone published it first.</returns>
    public async Task<bool> PublishAsync(
        Guid id, IReadOnlyDictionary<string, decimal> maxPoints, DateTimeOffset publishedAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(
            """
            UPDATE questionnaires SET status = 'published', max_points = @MaxPoints::jsonb, published_at = @publishedAt
            WHERE id = @id AND status = 'draft'
            """,
            new { id, MaxPoints = JsonSerializer.Serialize(maxPoints, Json), publishedAt }) == 1;
    }

    private const string SelectSql =
        """
        SELECT id AS Id, tenant_id AS TenantId, status AS Status, definition::text AS Definition,
               max_points::text AS MaxPoints, created_at AS CreatedAt, published_at AS PublishedAt
        FROM questionnaires
        """;

    private sealed record Row(
        Guid Id, string TenantId, string Status, string Definition, string MaxPoints, DateTime CreatedAt, DateTime? PublishedAt)
    {
        public Questionnaire ToQuestionnaire() => new(
            Id, TenantId, Status,
            JsonSerializer.Deserialize<QuestionnaireDefinition>(Definition, Json)!,
            JsonSerializer.Deserialize<Dictionary<string, decimal>>(MaxPoints, Json)!,
            new DateTimeOffset(CreatedAt, TimeSpan.Zero),
            PublishedAt is { } published ? new DateTimeOffset(published, TimeSpan.Zero) : null);
    }
}
