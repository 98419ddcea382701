using Microsoft.Extensions.Hosting;
using Npgsql;

namespace ParPlatform.ServiceDefaults.Data;

/// <summary>
/// The service's database as its code uses it: every connection comes open with <c>par.tenant</c> set to
/// <see cref="TenantScope.Current"/>, which the row-level security policies of tenant-owned tables compare with each
/// row's <c>tenant_id</c>. A connection opened from the raw <see cref="NpgsqlDataSource"/> instead carries no tenant
/// and sees no tenant-owned row at all (Npgsql resets session settings when a pooled connection is returned).
/// </summary>
public sealed class TenantDataSource(NpgsqlDataSource dataSource)
{
    public async ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await ScopeAsync(connection, TenantScope.Current, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sets <c>par.tenant</c> for the rest of the connection's session (until it goes back to the pool).</summary>
    public static async Task ScopeAsync(NpgsqlConnection connection, string tenantId, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand("SELECT set_config($1, $2, false)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = TenantScope.Setting });
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
