#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental but is the documented way to replace the defaults' handler.
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Http.Resilience;
using ParPlatform.Contracts;
using ParPlatform.Web.SignIn;

namespace ParPlatform.Web.Platform;

/// <summary>
/// The console's one client of the platform: REST through the gateway with the signed-in user's own access token, as
/// any other client, so every rule the services enforce holds for the console too. A refusal becomes an
/// <see cref="ApiProblem"/> carrying the service's ProblemDetails (its vi-VN title is what the page shows).
/// Scoped: in a static page it is the request's, in an interactive page the circuit's (the user is read from the
/// authentication state, which both have; HttpContext is not there in a circuit).
/// </summary>
public sealed class PlatformApi(HttpClient http, AuthenticationStateProvider authentication, IHttpContextAccessor request, UserSessions sessions)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, null, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    /// <summary>GET that answers null for 404 (an assessment not started yet, say) instead of raising.</summary>
    public async Task<T?> FindAsync<T>(string path, CancellationToken cancellationToken = default) where T : class
    {
        try
        {
            return await GetAsync<T>(path, cancellationToken);
        }
        catch (ApiProblem problem) when (problem.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<T> SendJsonAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken = default,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        using var response = await SendAsync(method, path, body is null ? null : JsonContent.Create(body, options: Json), headers, cancellationToken);
        return response.StatusCode == HttpStatusCode.NoContent ? default! : (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    public async Task SendAsync(HttpMethod method, string path, object? body = null, CancellationToken cancellationToken = default)
    {
        using var _ = await SendAsync(method, path, body is null ? null : JsonContent.Create(body, options: Json), null, cancellationToken);
    }

    /// <summary>The raw answer (for files and headers); the caller disposes it. Refusals raise <see cref="ApiProblem"/>.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content,
        IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var user = await UserAsync();
        HttpResponseMessage response;
        // A gateway or identity service that does not answer is a refusal in words too: an exception other than
        // ApiProblem would end an interactive page's circuit and leave the user before a frozen page.
        try
        {
            var token = await sessions.AccessTokenAsync(user.FindFirstValue(ConsoleSignIn.SessionClaim), cancellationToken)
                ?? throw ApiProblem.SessionEnded();
            using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
            response = await http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException failure)
        {
            throw ApiProblem.Unreachable(failure);
        }
        catch (TaskCanceledException failure) when (!cancellationToken.IsCancellationRequested)
        {
            throw ApiProblem.Unreachable(failure); // the client's timeout, not the caller giving up
        }
        catch (Polly.ExecutionRejectedException failure)
        {
            throw ApiProblem.Unreachable(failure); // the resilience handler's timeout or open circuit
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            throw await ApiProblem.ReadAsync(response, cancellationToken);
        }
    }

    /// <summary>The signed-in user: from Blazor's authentication state in a page or circuit, from the request in a
    /// plain endpoint (the file relays), where Blazor has not set that state.</summary>
    private async Task<ClaimsPrincipal> UserAsync()
    {
        if (request.HttpContext is { } context && context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is null
            && context.WebSockets.IsWebSocketRequest is false && !context.Request.Path.StartsWithSegments("/_blazor"))
        {
            return context.User;
        }
        return (await authentication.GetAuthenticationStateAsync()).User;
    }

    public static void Register(IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddHttpClient<PlatformApi>(client =>
            {
                client.BaseAddress = new Uri(ResourceNames.HttpAddress(ResourceNames.Gateway) + "/");
                client.Timeout = Timeout.InfiniteTimeSpan; // the resilience handler's total timeout is the one that counts
            })
            // The defaults' handler gives an attempt 10 s and a request 30 s: an evidence upload of tens of MB, or a
            // finalisation while a 2-core machine is busy, takes longer, and cutting it would leave the user with a
            // refusal for what the service may still do. Reads are retried, writes never (as in the defaults).
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options =>
            {
                options.Retry.DisableForUnsafeHttpMethods();
                options.AttemptTimeout.Timeout = TimeSpan.FromMinutes(2);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(5);
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(4); // at least twice an attempt's timeout
            });
    }
}
