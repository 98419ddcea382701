using System.Net;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.ServiceDiscovery;

namespace ParPlatform.Gateway.Routing;

/// <summary>
/// Resolves YARP destinations written as service-discovery addresses (<c>http://_grpc.criteria</c>) into the
/// endpoints configured for them (<c>services__criteria__grpc__0</c>), and re-resolves when those change.
/// Stands in for Microsoft.Extensions.ServiceDiscovery.Yarp, which the package source here does not serve.
/// </summary>
internal sealed class ServiceDiscoveryDestinationResolver(ServiceEndpointResolver resolver) : IDestinationResolver
{
    public async ValueTask<ResolvedDestinationCollection> ResolveDestinationsAsync(
        IReadOnlyDictionary<string, DestinationConfig> destinations, CancellationToken cancellationToken)
    {
        var resolved = new Dictionary<string, DestinationConfig>();
        var changeTokens = new List<IChangeToken>();
        foreach (var (name, destination) in destinations)
        {
            var declared = new Uri(destination.Address);
            var source = await resolver.GetEndpointsAsync(declared.GetLeftPart(UriPartial.Authority), cancellationToken);
            changeTokens.Add(source.ChangeToken);
            var index = 0;
            foreach (var endpoint in source.Endpoints)
            {
                var (host, port) = endpoint.EndPoint switch
                {
                    IPEndPoint ip => (ip.Address.ToString(), ip.Port),
                    DnsEndPoint dns => (dns.Host, dns.Port),
                    UriEndPoint uri => (uri.Uri.Host, uri.Uri.Port),
                    var other => throw new InvalidOperationException($"Unsupported endpoint '{other}' for {declared}."),
                };
                var address = new UriBuilder(declared) { Host = host, Port = port }.Uri.ToString();
                resolved[$"{name}[{index++}]"] = destination with { Address = address };
            }
        }
        return new ResolvedDestinationCollection(resolved, new CompositeChangeToken(changeTokens));
    }
}
