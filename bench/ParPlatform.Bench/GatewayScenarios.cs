using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ParPlatform.Testing;

namespace ParPlatform.Bench;

/// <summary>The cost of the gateway hop: the same REST call through YARP, through nginx, and straight to the service.</summary>
internal static partial class GatewayScenarios
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

    /// <summary>
    /// Issue 16 §4: <c>GET /api/criteria/info</c> with a real user's bearer token, 32 connections from wrk, three ways
    /// in turn, three rounds: straight to the criteria service, through nginx (one worker, keep-alive to the upstream),
    /// through the gateway (token verified, rate limit, forwarded headers). Each line: requests/s, p99, and the CPU of
    /// every process involved per request (wrk itself, on the same cores, ends before it can be read).
    /// </summary>
    public static async Task VersusNginxAsync(BenchContext context)
    {
        var criteria = context.App.ResourceEndpoint("criteria", "http");
        using var admin = await PlatformSignIn.PasswordAsync(context.App.GatewayHttp, "qn.quantri");
        var token = admin.DefaultRequestHeaders.Authorization!.ToString();
        await using var nginx = await Nginx.StartAsync(Path.Combine(context.App.StateFolder, "nginx"), criteria, "/api/criteria/info");
        var pids = context.Pids("gateway", "criteria");
        var seconds = Math.Max(5, (int)context.Duration.TotalSeconds);
        var rows = new List<(string Way, int Round, double PerSecond, double P99, Dictionary<string, double> Cpu)>();
        for (var round = 1; round <= 3; round++)
        {
            foreach (var (way, address) in new[] { ("direct", criteria), ("nginx", nginx.Address), ("gateway", context.App.GatewayHttp) })
            {
                var url = new Uri(address, "/api/criteria/info").ToString();
                await WrkAsync(url, token, 3); // warm-up: connections, JIT
                var cpu = CpuMeter.Start(pids, "nginx");
                var (perSecond, p99, requests) = await WrkAsync(url, token, seconds);
                var perRequest = cpu.Sample().ToDictionary(item => item.Key, item => item.Value * 1e6 / Math.Max(1, requests));
                rows.Add((way, round, perSecond, p99, perRequest));
                Console.WriteLine($"round {round} {way,-8} {perSecond,9:N0} req/s  p99 {p99,7:N2} ms  " +
                    string.Join(", ", perRequest.Select(item => $"{item.Key} {item.Value:N1} µs")) + " CPU per request; load " +
                    File.ReadAllText("/proc/loadavg").Trim());
            }
        }
        foreach (var round in rows.GroupBy(row => row.Round))
        {
            var direct = round.Single(row => row.Way == "direct");
            var viaNginx = round.Single(row => row.Way == "nginx");
            var viaGateway = round.Single(row => row.Way == "gateway");
            Console.WriteLine($"round {round.Key}: nginx {viaNginx.PerSecond / direct.PerSecond:P0} of direct, gateway {viaGateway.PerSecond / direct.PerSecond:P0} of direct, " +
                $"gateway {viaGateway.PerSecond / viaNginx.PerSecond:P0} of nginx's throughput; hop CPU gateway {viaGateway.Cpu["gateway"]:N1} µs vs nginx {viaNginx.Cpu["nginx"]:N1} µs " +
                $"({viaGateway.Cpu["gateway"] / viaNginx.Cpu["nginx"]:N1}x); criteria behind them {viaGateway.Cpu["criteria"]:N1} / {viaNginx.Cpu["criteria"]:N1} µs (direct {direct.Cpu["criteria"]:N1} µs)");
        }
    }

    private static async Task<(double PerSecond, double P99Ms, long Requests)> WrkAsync(string url, string authorization, int seconds)
    {
        var start = new ProcessStartInfo("wrk", ["-t1", "-c32", $"-d{seconds}s", "--latency", "-H", $"Authorization: {authorization}", url])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var wrk = Process.Start(start)!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var requests = RequestsLine().Match(output);
        var rate = RateLine().Match(output);
        var p99 = P99Line().Match(output);
        var failures = NonSuccessLine().Match(output);
        if (wrk.ExitCode != 0 || !requests.Success || !rate.Success || failures.Success)
        {
            throw new InvalidOperationException($"wrk {url} failed:{Environment.NewLine}{output}{await wrk.StandardError.ReadToEndAsync()}");
        }
        var p99Ms = double.Parse(p99.Groups[1].Value, CultureInfo.InvariantCulture) * p99.Groups[2].Value switch { "us" => 0.001, "s" => 1000, _ => 1 };
        return (double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture), p99Ms, long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"(\d+) requests in")] private static partial Regex RequestsLine();
    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")] private static partial Regex RateLine();
    [GeneratedRegex(@"99%\s+([\d.]+)(us|ms|s)")] private static partial Regex P99Line();
    [GeneratedRegex(@"Non-2xx or 3xx responses")] private static partial Regex NonSuccessLine();

    /// <summary>nginx (Debian's nginx-light) on a free loopback port, one worker, keep-alive connections to the service,
    /// request bodies streamed to it as they arrive (as the gateway does), up to 256 MB.</summary>
    internal sealed class Nginx : IAsyncDisposable
    {
        private readonly Process _process;

        private Nginx(Process process, Uri address) => (_process, Address) = (process, address);

        public Uri Address { get; }

        public static async Task<Nginx> StartAsync(string folder, Uri upstream, string probePath)
        {
            Directory.CreateDirectory(folder);
            var port = FreePort();
            var config = Path.Combine(folder, "nginx.conf");
            await File.WriteAllTextAsync(config, $$"""
                {{(Environment.UserName == "root" ? "user root;" : "")}}
                worker_processes 1;
                daemon off;
                pid {{folder}}/nginx.pid;
                error_log {{folder}}/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    client_max_body_size 256m;
                    client_body_temp_path {{folder}}/body;
                    proxy_temp_path {{folder}}/proxy;
                    fastcgi_temp_path {{folder}}/fastcgi;
                    uwsgi_temp_path {{folder}}/uwsgi;
                    scgi_temp_path {{folder}}/scgi;
                    upstream service { server {{upstream.Host}}:{{upstream.Port}}; keepalive 64; }
                    server {
                        listen 127.0.0.1:{{port}};
                        location / {
                            proxy_pass http://service;
                            proxy_http_version 1.1;
                            proxy_request_buffering off;
                            proxy_set_header Connection "";
                            proxy_set_header Host $host;
                            proxy_set_header X-Forwarded-For $remote_addr;
                            proxy_set_header X-Forwarded-Proto $scheme;
                        }
                    }
                }
                """);
            var nginx = Process.Start(new ProcessStartInfo(File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx", ["-p", folder, "-c", config])
            {
                RedirectStandardError = true,
            })!;
            var address = new Uri($"http://127.0.0.1:{port}/");
            using var http = new HttpClient();
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    (await http.GetAsync(new Uri(address, probePath))).EnsureSuccessStatusCode();
                    return new Nginx(nginx, address);
                }
                catch (HttpRequestException) when (attempt < 50 && !nginx.HasExited)
                {
                    await Task.Delay(100);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
