using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using NpgsqlTypes;
using ParPlatform.Survey.Apis;
using ParPlatform.Survey.Intake;
using Xunit.Abstractions;

namespace ParPlatform.Survey.Tests;

/// <summary>Runs only when asked: <c>SURVEY_BENCHMARK=1 dotnet test tests/Survey.Tests --filter Category=Benchmark</c>.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("SURVEY_BENCHMARK") != "1")
        {
            Skip = "Benchmark: set SURVEY_BENCHMARK=1 to run.";
        }
    }
}

/// <summary>
/// Intake figures on this machine, in one process with the survey service (API + worker), PostgreSQL and RabbitMQ:
/// (a) batched REST intake to stored-and-aggregated next to (b) raw binary COPY of the same rows, (c) single requests.
/// </summary>
[Collection(SurveyCollection.Name)]
[Trait("Category", "Benchmark")]
public sealed class BenchmarkTests(SurveyFixture fixture, ITestOutputHelper output)
{
    private const int BatchedResponses = 50_000;
    private const int SingleRequests = 5_000;

    [BenchmarkFact]
    public async Task Batched_intake_against_raw_copy_and_single_requests()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var items = Enumerable.Range(0, BatchedResponses).Select(i => fixture.Citizen(
            $"bench-{run}-{i}", FakeCriteriaServer.Units[i % FakeCriteriaServer.Units.Length], "ABCD"[i % 4].ToString(), "ABCD"[i / 4 % 4].ToString(), i % 11)).ToList();
        var batches = new ConcurrentQueue<ResponseInput[]>(items.Chunk(IntakeService.MaxBatch));
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var client = fixture.OperatorCaller.Client(fixture.Survey.HttpAddress);
            while (batches.TryDequeue(out var batch))
            {
                (await client.PostAsJsonAsync("/api/survey/responses/batch", new BatchRequest(batch), SurveyFixture.Json)).EnsureSuccessStatusCode();
            }
        })));
        var accepted = clock.Elapsed;
        await Eventually.TrueAsync(async () => await fixture.StoredCountAsync($"bench-{run}-") == BatchedResponses, TimeSpan.FromMinutes(5));
        var batched = BatchedResponses / clock.Elapsed.TotalSeconds;
        output.WriteLine($"(a) batched intake: {BatchedResponses} accepted in {accepted.TotalSeconds:F1} s, stored and aggregated in {clock.Elapsed.TotalSeconds:F1} s = {batched:F0} responses/s");

        var copy = await RawCopyAsync($"bench-{run}-");
        output.WriteLine($"(b) raw binary COPY of the same rows: {copy:F0} rows/s; (a) is {100 * batched / copy:F0} % of (b)");

        var latencies = new ConcurrentBag<double>();
        var next = -1;
        clock.Restart();
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            using var client = fixture.OperatorCaller.Client(fixture.Survey.HttpAddress);
            for (var i = Interlocked.Increment(ref next); i < SingleRequests; i = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                var reply = await client.PostAsJsonAsync("/api/survey/responses", fixture.Citizen($"single-{run}-{i}", FakeCriteriaServer.Units[i % 6]), SurveyFixture.Json);
                Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })));
        var sorted = latencies.Order().ToList();
        output.WriteLine($"(c) single requests (64 concurrent clients): {SingleRequests / clock.Elapsed.TotalSeconds:F0} requests/s, " +
            $"p50 {sorted[sorted.Count / 2]:F1} ms, p99 {sorted[sorted.Count * 99 / 100]:F1} ms");
    }

    private async Task<double> RawCopyAsync(string prefix)
    {
        await using var connection = await fixture.Database.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<CopyRow>(
            """
            SELECT tenant_id AS TenantId, response_id AS ResponseId, receipt_id AS ReceiptId, questionnaire_id AS QuestionnaireId,
                   round_id AS RoundId, unit_id AS UnitId, respondent_group AS RespondentGroup, content_hash AS ContentHash,
                   question_codes AS QuestionCodes, answers AS Answers, sub_criteria AS SubCriteria, scores AS Scores,
                   profile::text AS Profile, channel AS Channel, accepted_at AS AcceptedAt
            FROM responses WHERE response_id LIKE @pattern
            """, new { pattern = prefix + "%" })).ToList();
        await connection.ExecuteAsync("DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy (LIKE responses INCLUDING ALL)");
        var clock = Stopwatch.StartNew();
        await using (var importer = await connection.BeginBinaryImportAsync(
            """
            COPY bench_copy (tenant_id, response_id, receipt_id, questionnaire_id, round_id, unit_id, respondent_group, content_hash,
                question_codes, answers, sub_criteria, scores, profile, channel, accepted_at) FROM STDIN (FORMAT BINARY)
            """))
        {
            foreach (var row in rows)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(row.TenantId, NpgsqlDbType.Text);
                await importer.WriteAsync(row.ResponseId, NpgsqlDbType.Text);
                await importer.WriteAsync(row.ReceiptId, NpgsqlDbType.Uuid);
                await importer.WriteAsync(row.QuestionnaireId, NpgsqlDbType.Uuid);
                await importer.WriteAsync(row.RoundId, NpgsqlDbType.Uuid);
                await importer.WriteAsync(row.UnitId, NpgsqlDbType.Uuid);
                await importer.WriteAsync(row.RespondentGroup, NpgsqlDbType.Text);
                await importer.WriteAsync(row.ContentHash, NpgsqlDbType.Text);
                await importer.WriteAsync(row.QuestionCodes, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await importer.WriteAsync(row.Answers, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await importer.WriteAsync(row.SubCriteria, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await importer.WriteAsync(row.Scores, NpgsqlDbType.Array | NpgsqlDbType.Numeric);
                await importer.WriteAsync(row.Profile, NpgsqlDbType.Jsonb);
                await importer.WriteAsync(row.Channel, NpgsqlDbType.Text);
                await importer.WriteAsync(row.AcceptedAt, NpgsqlDbType.TimestampTz);
            }
            await importer.CompleteAsync();
        }
        var seconds = clock.Elapsed.TotalSeconds;
        await connection.ExecuteAsync("DROP TABLE bench_copy");
        return rows.Count / seconds;
    }

    private sealed class CopyRow
    {
        public string TenantId { get; init; } = "";
        public string ResponseId { get; init; } = "";
        public Guid ReceiptId { get; init; }
        public Guid QuestionnaireId { get; init; }
        public Guid RoundId { get; init; }
        public Guid UnitId { get; init; }
        public string RespondentGroup { get; init; } = "";
        public string ContentHash { get; init; } = "";
        public string[] QuestionCodes { get; init; } = [];
        public string[] Answers { get; init; } = [];
        public string[] SubCriteria { get; init; } = [];
        public decimal[] Scores { get; init; } = [];
        public string Profile { get; init; } = "";
        public string Channel { get; init; } = "";
        public DateTime AcceptedAt { get; init; }
    }
}
