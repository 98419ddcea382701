using Dapper;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace ParPlatform.ServiceDefaults.Messaging;

/// <summary>
/// The consumer side of exactly-once effects: record the message id in the same transaction as the effect; a
/// redelivered message finds its id taken and is skipped.
/// </summary>
public static class Inbox
{
    /// <returns>true when this is the first time <paramref name="consumer"/> sees the message.</returns>
    public static async Task<bool> TryMarkProcessedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid messageId, string consumer)
    {
        var inserted = await connection.ExecuteAsync(
            "INSERT INTO inbox_messages (message_id, consumer) VALUES (@messageId, @consumer) ON CONFLICT DO NOTHING",
            new { messageId, consumer }, transaction);
        return inserted == 1;
    }
}
