extern alias gateway;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using ParPlatform.ServiceDefaults.Identity;
using ClientQuotas = gateway::ParPlatform.Gateway.Security.ClientQuotas;
using Quotas = gateway::ParPlatform.Gateway.Quotas;
using RateLimit = gateway::ParPlatform.Gateway.RateLimit;

namespace ParPlatform.Identity.Tests;

/// <summary>The gateway's choice of partition on its own, without sockets: which quota, and what it costs per request
/// (issue 16 asks the gateway's CPU per request to approach nginx's).</summary>
public sealed class ClientQuotasTests
{
    private static readonly ClientQuotas Quotas = new(new RateLimit
    {
        PermitLimit = 100,
        AnonymousPermitLimit = 20,
        Quotas = new Quotas
        {
            Roles = new() { [PlatformRoles.SurveyPartner] = 5000 },
            Clients = new() { ["ministry-reporting"] = 300 },
        },
    });

    [Fact]
    public void The_quota_is_the_clients_own_else_its_roles_else_the_default_and_anonymous_callers_are_keyed_by_address()
    {
        var address = IPAddress.Parse("203.0.113.7");

        Assert.Equal(new ClientQuotas.Partition("qn-survey-partner", 5000), Quotas.ClientOf(Request("qn-survey-partner", PlatformRoles.SurveyPartner)));
        Assert.Equal(new ClientQuotas.Partition("ministry-reporting", 300), Quotas.ClientOf(Request("ministry-reporting", PlatformRoles.MinistryClient)));
        Assert.Equal(new ClientQuotas.Partition("u-1", 100), Quotas.ClientOf(Request("u-1", PlatformRoles.Viewer)));
        Assert.Equal(new ClientQuotas.Partition(address, 20), Quotas.ClientOf(Request(null, null, address)));
        Assert.NotEqual(Quotas.ClientOf(Request(null, null, address)), Quotas.ClientOf(Request(null, null, IPAddress.Parse("203.0.113.8"))));
    }

    [Fact]
    public void Choosing_the_partition_allocates_no_key_and_no_limiter_delegate()
    {
        var partner = Request("qn-survey-partner", PlatformRoles.SurveyPartner);
        Quotas.For(partner);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var call = 0; call < 1000; call++)
        {
            Quotas.For(partner);
        }
        var perRequest = (GC.GetAllocatedBytesForCurrentThread() - before) / 1000.0;

        // What is left is the runtime's enumerators over the principal's identities and claims (boxed List<T>
        // enumerators); the old partitioner allocated those too, plus a "sub:..." string and a closure per request.
        Assert.True(perRequest <= 96, $"{perRequest} bytes per request");
    }

    private static DefaultHttpContext Request(string? subject, string? role, IPAddress? address = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/api/survey/responses";
        context.Connection.RemoteIpAddress = address;
        if (subject is not null)
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity(
                [new(PlatformClaims.Subject, subject), new(PlatformClaims.Role, role!), new(PlatformClaims.Tenant, "quang-ninh")],
                "Bearer", PlatformClaims.Subject, PlatformClaims.Role));
        }
        return context;
    }
}
