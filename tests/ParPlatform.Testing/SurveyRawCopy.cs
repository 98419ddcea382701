using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using ParPlatform.ServiceDefaults.Messaging;

namespace ParPlatform.Testing;

/// <summary>
/// The survey benchmarks' yardstick (b): the stored responses whose id starts with a prefix, copied again by raw
/// binary COPY into a copy of the <c>responses</c> table in the same database: rows per second, and the CPU its
/// PostgreSQL backend spent per row (from /proc: the server runs on this machine), the reference a platform's CPU
/// per stored response is compared with.
/// </summary>
public static class SurveyRawCopy
{
    public sealed record Result(double RowsPerSecond, double BackendCpuMicrosecondsPerRow);

    public static async Task<Result> RunAsync(NpgsqlDataSource dataSource, string prefix)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var backend = connection.ProcessID;
        // Reads every tenant's rows of the row-level-secured table (a no-op for the superuser).
        await ParPlatform.ServiceDefaults.Data.TenantDataSource.ScopeAsync(connection, ParPlatform.ServiceDefaults.Data.TenantScope.AllTenants);
        var rows = new List<object?[]>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT tenant_id, response_id, receipt_id, questionnaire_id, round_id, unit_id, respondent_group, content_hash,
                   question_codes, answers, sub_criteria, scores, profile::text, channel, accepted_at
            FROM responses WHERE response_id LIKE @pattern
            """, connection))
        {
            command.Parameters.AddWithValue("pattern", prefix + "%");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var values = new object?[15];
                reader.GetValues(values!);
                rows.Add(values);
            }
        }
        await using (var drop = new NpgsqlCommand("DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy (LIKE responses INCLUDING ALL)", connection))
        {
            await drop.ExecuteNonQueryAsync();
        }
        NpgsqlDbType[] types =
        [
            NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Uuid, NpgsqlDbType.Uuid, NpgsqlDbType.Uuid, NpgsqlDbType.Uuid,
            NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Text,
            NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Numeric, NpgsqlDbType.Jsonb, NpgsqlDbType.Text,
            NpgsqlDbType.TimestampTz,
        ];
        var cpuBefore = CpuSeconds(backend);
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
                for (var i = 0; i < row.Length; i++)
                {
                    await importer.WriteAsync(row[i], types[i]);
                }
            }
            await importer.CompleteAsync();
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = CpuSeconds(backend) - cpuBefore;
        await using (var drop = new NpgsqlCommand("DROP TABLE bench_copy", connection))
        {
            await drop.ExecuteNonQueryAsync();
        }
        return new Result(rows.Count / seconds, cpu * 1e6 / Math.Max(1, rows.Count));
    }

    // utime + stime of a local process, in seconds (USER_HZ = 100).
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
    }

}
