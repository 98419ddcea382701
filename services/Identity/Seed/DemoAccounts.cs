using Dapper;
using Npgsql;
using ParPlatform.Identity.Tokens;
using ParPlatform.ServiceDefaults.Data;
using ParPlatform.ServiceDefaults.Identity;

namespace ParPlatform.Identity.Seed;

/// <summary>
/// Demo accounts for every role (<c>Seed:Demo=true</c>, set by the AppHost): local use only, with one well-known
/// password, so they must never be seeded in a real deployment. Tenants and units match the criteria demo data.
/// </summary>
internal sealed class DemoAccounts(TenantDataSource dataSource, SecretHasher hasher, TimeProvider clock) : IHostedService
{
    public const string Password = "ParDemo#2026";
    public const string ProvinceTenant = "quang-ninh";
    public const string SoTuPhap = "20000000-0000-4000-8000-000000000012";

    public static readonly (string Username, string DisplayName, string Role, string Tenant, string? Unit)[] Users =
    [
        ("bo.quantri", "Quản trị Bộ Nội vụ", PlatformRoles.NationalAdmin, PlatformClaims.NationalTenant, null),
        // A ministry reader (Vụ Cải cách hành chính): published results of every province, nothing live or unpublished.
        ("bo.xem", "Chuyên viên Vụ CCHC, Bộ Nội vụ", PlatformRoles.Viewer, PlatformClaims.NationalTenant, null),
        ("qn.quantri", "Quản trị Sở Nội vụ Quảng Ninh", PlatformRoles.ProvincialAdmin, ProvinceTenant, null),
        ("qn.thamdinh", "Thẩm định viên Quảng Ninh", PlatformRoles.Appraiser, ProvinceTenant, null),
        ("qn.tuphap.canbo", "Cán bộ Sở Tư pháp", PlatformRoles.UnitOfficer, ProvinceTenant, SoTuPhap),
        ("qn.tuphap.lanhdao", "Lãnh đạo Sở Tư pháp", PlatformRoles.UnitLeader, ProvinceTenant, SoTuPhap),
        ("qn.dieutra", "Điều tra viên Quảng Ninh", PlatformRoles.SurveyOperator, ProvinceTenant, null),
        ("qn.xem", "Người xem Quảng Ninh", PlatformRoles.Viewer, ProvinceTenant, null),
    ];

    public static readonly (string ClientId, string Role, string Tenant)[] Clients =
    [
        ("qn-survey-partner", PlatformRoles.SurveyPartner, ProvinceTenant),
        ("ministry-reporting", PlatformRoles.MinistryClient, PlatformClaims.NationalTenant),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(7008)", transaction: transaction);
        await connection.ExecuteAsync(
            """
            INSERT INTO tenants (id, name) VALUES ('national', 'Bộ Nội vụ'), ('quang-ninh', 'Tỉnh Quảng Ninh') ON CONFLICT DO NOTHING;
            INSERT INTO units (id, tenant_id, name) VALUES
                ('20000000-0000-4000-8000-000000000011', 'quang-ninh', 'Sở Nội vụ'),
                ('20000000-0000-4000-8000-000000000012', 'quang-ninh', 'Sở Tư pháp'),
                ('20000000-0000-4000-8000-000000000021', 'quang-ninh', 'Thành phố Hạ Long')
            ON CONFLICT DO NOTHING;
            """, transaction: transaction);

        var now = clock.GetUtcNow();
        var existingUsers = (await connection.QueryAsync<string>("SELECT username FROM users", transaction: transaction)).ToHashSet();
        foreach (var (username, displayName, role, tenant, unit) in Users.Where(user => !existingUsers.Contains(user.Username)))
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO users (id, username, display_name, password_hash, role, tenant_id, unit_id, created_at)
                VALUES (@id, @username, @displayName, @hash, @role, @tenant, @unit, @now)
                """, new { id = Guid.CreateVersion7(), username, displayName, hash = hasher.Hash(Password), role, tenant, unit, now }, transaction);
        }
        // Databases seeded before display names existed showed the user name: give them the names too.
        foreach (var (username, displayName, _, _, _) in Users)
        {
            await connection.ExecuteAsync(
                "UPDATE users SET display_name = @displayName WHERE username = @username AND display_name = username",
                new { username, displayName }, transaction);
        }
        var existingClients = (await connection.QueryAsync<string>("SELECT client_id FROM api_clients", transaction: transaction)).ToHashSet();
        foreach (var (clientId, role, tenant) in Clients.Where(client => !existingClients.Contains(client.ClientId)))
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO api_clients (client_id, display_name, secret_hash, role, tenant_id, created_at)
                VALUES (@clientId, @clientId, @hash, @role, @tenant, @now)
                """, new { clientId, hash = hasher.Hash(Password), role, tenant, now }, transaction);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
