namespace ParPlatform.Bench;

/// <summary>The cost of the gateway hop: the same REST call through YARP and straight to the service.</summary>
internal static class GatewayScenarios
{
    public static async Task RestInfoAsync(BenchContext context)
    {
        using var http = new HttpClient();
        var direct = new Uri(context.App.ResourceEndpoint("criteria", "http"), "/api/criteria/info");
        var viaGateway = new Uri(context.App.GatewayHttp, "/api/criteria/info");
        foreach (var (name, uri) in new[] { ("criteria info direct", direct), ("criteria info via gateway", viaGateway) })
        {
            var result = await LoadRunner.RunAsync(name, 32, context.Duration, async () =>
            {
                using var response = await http.GetAsync(uri);
                response.EnsureSuccessStatusCode();
            }, cpuOf: context.Pids("gateway", "criteria"));
            Console.WriteLine(result);
        }
    }
}
