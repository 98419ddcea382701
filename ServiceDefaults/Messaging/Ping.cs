using Dapper;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using ParPlatform.Contracts.Events;
using ParPlatform.ServiceDefaults.Identity;

namespace ParPlatform.ServiceDefaults.Messaging;

/// <summary>
/// Wiring check across the broker: any service can publish a ping; every service records the pings it receives.
/// Operators use it after a deployment to see that events flow between services. A ping writes to the service's
/// database and the broker, so only an authenticated operator (national or provincial admin) may send one; any
/// signed-in caller may read whether a ping arrived.
/// </summary>
public static class PingEndpoints
{
    public static readonly string[] Operators = [PlatformRoles.NationalAdmin, PlatformRoles.ProvincialAdmin];

    public static RouteGroupBuilder MapPingEndpoints(this RouteGroupBuilder group, string serviceName)
    {
        group.MapPost("/diagnostics/pings", async (NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            var ping = new PlatformPing(Guid.NewGuid(), serviceName, clock.GetUtcNow());
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync();
            await Outbox.EnqueueAsync(connection, transaction, ping);
            await transaction.CommitAsync();
            return TypedResults.Accepted($"diagnostics/pings/{ping.PingId}", ping);
        }).RequireAuthorization(policy => policy.RequireRole(Operators));
        group.MapGet("/diagnostics/pings/{pingId:guid}", async Task<IResult> (Guid pingId, NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var received = await connection.QuerySingleOrDefaultAsync<ReceivedPing>(new CommandDefinition(
                """
                SELECT ping_id AS PingId, from_service AS FromService, sent_at AS SentAt, received_at AS ReceivedAt
                FROM received_pings WHERE ping_id = @pingId
                """, new { pingId }, cancellationToken: cancellationToken));
            return received is null
                ? TypedResults.Problem(statusCode: 404, title: "Ping not received (yet)", type: "urn:par:ping-not-received")
                : TypedResults.Ok(received);
        }).RequireAuthorization();
        return group;
    }

    // timestamptz arrives from Npgsql as a UTC DateTime.
    public sealed record ReceivedPing(Guid PingId, string FromService, DateTime SentAt, DateTime ReceivedAt);
}

internal sealed class PingConsumer(NpgsqlDataSource dataSource) : IConsumer<PlatformPing>
{
    public async Task Consume(ConsumeContext<PlatformPing> context)
    {
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO received_pings (ping_id, from_service, sent_at) VALUES (@PingId, @FromService, @SentAt)
            ON CONFLICT DO NOTHING
            """, context.Message);
    }
}
