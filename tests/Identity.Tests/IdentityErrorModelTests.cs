using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static ParPlatform.Identity.Tests.AccountsFixture;

namespace ParPlatform.Identity.Tests;

/// <summary>
/// Issue 12 for the identity service: its errors are in the platform's one error model, so its OpenAPI document lists
/// each error response as ProblemDetails; and it runs without the broker (it publishes and consumes no events).
/// </summary>
[Collection(AccountsCollection.Name)]
public sealed class IdentityErrorModelTests(AccountsFixture platform)
{
    [Fact]
    public async Task The_openapi_document_lists_each_error_response_of_the_account_apis_as_problem_details()
    {
        var document = await platform.Anonymous().GetFromJsonAsync<JsonElement>("/api/identity/openapi/v1.json");
        var paths = document.GetProperty("paths");

        string[] Errors(string path, string method)
        {
            var responses = paths.GetProperty(path).GetProperty(method).GetProperty("responses");
            var errors = responses.EnumerateObject().Where(response => response.Name[0] is '4' or '5').ToList();
            foreach (var error in errors)
            {
                Assert.True(error.Value.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{method} {path} {error.Name}");
            }
            return errors.Select(error => error.Name).Order().ToArray();
        }

        Assert.Equal(["400", "401", "403", "409"], Errors("/api/identity/accounts", "post"));
        Assert.Equal(["401", "403", "404"], Errors("/api/identity/accounts/{id}", "get"));
        Assert.Equal(["400", "401", "403", "404"], Errors("/api/identity/accounts/{id}", "put"));
        Assert.Equal(["401", "403", "404", "409"], Errors("/api/identity/accounts/{id}/disable", "post"));
        Assert.Equal(["400", "401", "403", "415"], Errors("/api/identity/accounts/import", "post"));
        Assert.Equal(["400", "401", "403", "409"], Errors("/api/identity/tenants", "post"));
    }

    [Fact]
    public async Task Identity_has_no_broker_and_so_no_ping_diagnostics()
    {
        var document = await platform.Anonymous().GetFromJsonAsync<JsonElement>("/api/identity/openapi/v1.json");
        Assert.DoesNotContain(document.GetProperty("paths").EnumerateObject(), path => path.Name.Contains("/diagnostics/pings"));
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/identity/info", out _));

        // An operator who may send pings to the other services gets "no such route" here, not 202.
        using var ministry = await platform.SignedInAsync("bo.quantri");
        using var ping = await ministry.PostAsync("/api/identity/diagnostics/pings", null);
        Assert.Equal(HttpStatusCode.NotFound, ping.StatusCode);
    }
}
