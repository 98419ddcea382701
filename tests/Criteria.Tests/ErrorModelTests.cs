using System.Collections;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grpc.Core;
using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.ServiceDefaults.Problems;
using ParPlatform.Testing;
using static ParPlatform.Criteria.Tests.CriteriaServiceFixture;

namespace ParPlatform.Criteria.Tests;

/// <summary>
/// Issue 12: one error model. Every kind of error of every service is <c>urn:par:&lt;service&gt;:&lt;code&gt;</c> with a
/// Vietnamese title; the same error gives the same code over REST and gRPC; the OpenAPI document lists each error
/// response of each endpoint as ProblemDetails.
/// </summary>
[Collection(CriteriaServiceCollection.Name)]
public sealed partial class ErrorModelTests(CriteriaServiceFixture fixture)
{
    [GeneratedRegex("^urn:par:[a-z-]+:[a-z0-9-]+$")]
    private static partial Regex TypeScheme();

    private static readonly string[] ServiceAssemblies =
    [
        "services/Criteria/bin/{0}/net10.0/ParPlatform.Criteria.dll",
        "services/Submission/bin/{0}/net10.0/ParPlatform.Submission.dll",
        "services/EvidenceStorage/bin/{0}/net10.0/ParPlatform.EvidenceStorage.dll",
        "services/Survey/bin/{0}/net10.0/ParPlatform.Survey.dll",
        "services/Ranking/bin/{0}/net10.0/ParPlatform.Ranking.dll",
        "services/Identity/bin/{0}/net10.0/ParPlatform.Identity.dll",
        "gateway/bin/{0}/net10.0/ParPlatform.Gateway.dll",
    ];

    /// <summary>Every declared kind (static fields of type <see cref="ProblemKind"/>, or collections of them) in ServiceDefaults and each service.</summary>
    private static List<(string Owner, ProblemKind Kind)> DeclaredKinds()
    {
        var assemblies = new List<Assembly> { typeof(ProblemKind).Assembly };
        foreach (var pattern in ServiceAssemblies)
        {
            var path = Path.Combine(AppHostRun.RepositoryRoot, string.Format(pattern, AppHostRun.BuildConfiguration));
            Assert.True(File.Exists(path), $"{path} is not built");
            assemblies.Add(Assembly.LoadFrom(path));
        }
        var kinds = new List<(string, ProblemKind)>();
        foreach (var assembly in assemblies)
        {
            Type?[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException partly)
            {
                types = partly.Types;
            }
            // The catalogues: PlatformProblems, CriteriaProblems, ... (one per service, by convention).
            foreach (var type in types.OfType<Type>().Where(type => type.Name.EndsWith("Problems", StringComparison.Ordinal) && !type.ContainsGenericParameters))
            {
                foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
                {
                    if (typeof(ProblemKind).IsAssignableFrom(field.FieldType))
                    {
                        kinds.Add(($"{type.Name}.{field.Name}", (ProblemKind)field.GetValue(null)!));
                    }
                    else if (field.GetValue(null) is IDictionary map && map.Values.OfType<ProblemKind>().ToList() is { Count: > 0 } many)
                    {
                        kinds.AddRange(many.Select(kind => ($"{type.Name}.{field.Name}[{kind.Code}]", kind)));
                    }
                }
            }
        }
        return kinds;
    }

    [Fact]
    public void Every_error_kind_has_a_type_in_the_scheme_a_vietnamese_title_and_its_own_code()
    {
        var kinds = DeclaredKinds();
        var owners = kinds.Select(kind => kind.Owner.Split('.')[0]).Distinct().ToList();
        Assert.Superset(
            new HashSet<string> { "PlatformProblems", "CriteriaProblems", "SubmissionProblems", "EvidenceProblems", "SurveyProblems", "RankingProblems", "GatewayProblems" },
            owners.ToHashSet());
        foreach (var (owner, kind) in kinds)
        {
            Assert.True(TypeScheme().IsMatch(kind.Type), $"{owner}: {kind.Type}");
            Assert.False(string.IsNullOrWhiteSpace(kind.Title), owner);
            // Vietnamese with its diacritics ("Không tìm thấy"), not English and not a slug.
            Assert.True(kind.Title.Any(character => character > 127), $"{owner}: '{kind.Title}' is not Vietnamese");
            Assert.NotEqual(kind.Code, kind.Title);
            Assert.InRange(kind.Status, 400, 599);
        }
        // One type, one meaning: no two kinds share a type with another status or title.
        foreach (var same in kinds.GroupBy(kind => kind.Kind.Type))
        {
            Assert.Single(same.Select(kind => (kind.Kind.Status, kind.Kind.Title)).Distinct());
        }
    }

    [Theory]
    [InlineData(400, StatusCode.InvalidArgument)]
    [InlineData(401, StatusCode.Unauthenticated)]
    [InlineData(403, StatusCode.PermissionDenied)]
    [InlineData(404, StatusCode.NotFound)]
    [InlineData(409, StatusCode.FailedPrecondition)]
    [InlineData(412, StatusCode.FailedPrecondition)]
    [InlineData(413, StatusCode.ResourceExhausted)]
    [InlineData(422, StatusCode.InvalidArgument)]
    [InlineData(429, StatusCode.ResourceExhausted)]
    [InlineData(503, StatusCode.Unavailable)]
    public void Http_and_grpc_statuses_are_mapped_by_one_table(int http, StatusCode grpc) => Assert.Equal(grpc, ProblemStatus.GrpcOf(http));

    /// <summary>A set the caller may not read: REST 404 and gRPC NOT_FOUND, both naming urn:par:criteria:not-found with the same title.</summary>
    [Fact]
    public async Task The_same_error_over_rest_and_grpc_gives_the_same_code_and_title()
    {
        var missing = Guid.NewGuid();
        using var rest = await fixture.Client(ProvinceAdmin).GetAsync($"/api/criteria/sets/{missing}");
        Assert.Equal(HttpStatusCode.NotFound, rest.StatusCode);
        Assert.Equal("utf-8", rest.Content.Headers.ContentType?.CharSet);
        var problem = JsonDocument.Parse(await rest.Content.ReadAsStringAsync()).RootElement;

        var grpc = new CriteriaService.CriteriaServiceClient(fixture.Host.CreateGrpcChannel());
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await grpc.GetCriteriaSetAsync(new() { SetId = missing.ToString() }, ProvinceAdmin.GrpcHeaders()));

        Assert.Equal("urn:par:criteria:not-found", problem.GetProperty("type").GetString());
        Assert.Equal("Không tìm thấy", problem.GetProperty("title").GetString());
        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
        Assert.Equal(problem.GetProperty("type").GetString(), refused.Trailers.GetValue(Problem.TypeTrailer));
        Assert.Equal(problem.GetProperty("title").GetString(), Encoding.UTF8.GetString(refused.Trailers.GetValueBytes(Problem.TitleTrailer)!));
    }

    /// <summary>Framework answers (a route that does not exist) are in the scheme too.</summary>
    [Fact]
    public async Task A_problem_the_framework_writes_is_in_the_platform_scheme()
    {
        using var response = await fixture.Client(ProvinceAdmin).GetAsync("/api/criteria/no-such-route");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("urn:par:platform:not-found", problem.GetProperty("type").GetString());
        Assert.Equal("Không tìm thấy", problem.GetProperty("title").GetString());
    }

    /// <summary>Each endpoint's error responses are in the OpenAPI document, as application/problem+json.</summary>
    [Fact]
    public async Task The_openapi_document_lists_each_error_response_as_problem_details()
    {
        using var response = await fixture.Client(ProvinceAdmin).GetAsync("/api/criteria/openapi/v1.json");
        response.EnsureSuccessStatusCode();
        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("paths");
        var errors = new Dictionary<string, List<string>>();
        foreach (var path in paths.EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var listed = new List<string>();
                foreach (var answer in operation.Value.GetProperty("responses").EnumerateObject().Where(answer => answer.Name[0] is '4' or '5'))
                {
                    Assert.True(answer.Value.TryGetProperty("content", out var content) && content.TryGetProperty(PlatformProblems.ProblemJson, out _),
                        $"{operation.Name.ToUpperInvariant()} {path.Name} {answer.Name} is not ProblemDetails");
                    listed.Add(answer.Name);
                }
                errors[$"{operation.Name.ToUpperInvariant()} {path.Name}"] = listed;
            }
        }
        Assert.Equal(["404"], errors["GET /api/criteria/sets/{id}"]);
        Assert.Equal(["404", "403", "409", "412", "400"], errors["PUT /api/criteria/sets/{id}"]);
        Assert.Equal(["404", "403", "409"], errors["DELETE /api/criteria/rounds/{id}"]);
        Assert.Contains("404", errors["POST /api/criteria/sets/{id}/clone"]);
    }
}
