using Grpc.Core;
using Microsoft.Extensions.Hosting;
using ParPlatform.ServiceDefaults.Identity;

namespace ParPlatform.Testing;

/// <summary>
/// Acting as a platform user in tests. Today the identity travels in the interim X-Par-* headers; when the identity
/// issue lands this is the one place that starts minting tokens instead.
/// </summary>
public sealed record TestCaller(string UserId, string Role, string TenantId, string? UnitId = null, string? Name = null)
{
    public HttpRequestMessage Apply(HttpRequestMessage request)
    {
        request.Headers.Add(PlatformAuthentication.UserHeader, UserId);
        request.Headers.Add(PlatformAuthentication.RoleHeader, Role);
        request.Headers.Add(PlatformAuthentication.TenantHeader, TenantId);
        if (UnitId is not null)
        {
            request.Headers.Add(PlatformAuthentication.UnitHeader, UnitId);
        }
        if (Name is not null)
        {
            // Headers are ASCII: a Vietnamese name travels percent-encoded.
            request.Headers.Add(PlatformAuthentication.NameHeader, Uri.EscapeDataString(Name));
        }
        return request;
    }

    /// <summary>An HttpClient whose every request carries this caller.</summary>
    public HttpClient Client(Uri baseAddress) => new(new CallerHandler(this) { InnerHandler = new HttpClientHandler() }) { BaseAddress = baseAddress };

    public Metadata GrpcHeaders()
    {
        var metadata = new Metadata
        {
            { PlatformAuthentication.UserHeader, UserId },
            { PlatformAuthentication.RoleHeader, Role },
            { PlatformAuthentication.TenantHeader, TenantId },
        };
        if (UnitId is not null)
        {
            metadata.Add(PlatformAuthentication.UnitHeader, UnitId);
        }
        if (Name is not null)
        {
            metadata.Add(PlatformAuthentication.NameHeader, Uri.EscapeDataString(Name));
        }
        return metadata;
    }

    private sealed class CallerHandler(TestCaller caller) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            base.SendAsync(caller.Apply(request), cancellationToken);
    }
}
