extern alias submission;
extern alias evidence;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using ParPlatform.Contracts;
using ParPlatform.Testing;
using static ParPlatform.Submission.Tests.TestCriteria;
using ParPlatform.ServiceDefaults.Identity;

namespace ParPlatform.Submission.Tests;

/// <summary>
/// The two services under test on real sockets, their own fresh databases on the shared PostgreSQL, the shared
/// RabbitMQ, the fake criteria gRPC server, and one fake clock for both (starting inside the self-assessment window).
/// One platform per test, so a test may move the clock freely.
/// </summary>
public sealed class TestPlatform : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 10, 8, 0, 0, TimeSpan.Zero);

    public required TestInfrastructure Infrastructure { get; init; }
    public required FakeTimeProvider Clock { get; init; }
    public required FakeCriteriaServer Criteria { get; init; }
    public required Uri CriteriaAddress { get; init; }
    public required ServiceHost<evidence::Program> Evidence { get; init; }
    public required string EvidenceRoot { get; init; }

    /// <summary>Fixed before either service starts: each calls the other (evidence asks about supplementary requests).</summary>
    public required int SubmissionGrpcPort { get; init; }
    public Uri SubmissionGrpcAddress => new($"http://127.0.0.1:{SubmissionGrpcPort}");
    public ServiceHost<submission::Program>? Submission { get; set; }

    public static readonly TestCaller Officer1 = new("officer-1", PlatformRoles.UnitOfficer, Tenant, Unit1.ToString());
    public static readonly TestCaller Leader1 = new("leader-1", PlatformRoles.UnitLeader, Tenant, Unit1.ToString());
    public static readonly TestCaller Officer2 = new("officer-2", PlatformRoles.UnitOfficer, Tenant, Unit2.ToString());
    public static readonly TestCaller Leader2 = new("leader-2", PlatformRoles.UnitLeader, Tenant, Unit2.ToString());
    public static readonly TestCaller OtherTenantOfficer = new("officer-x", PlatformRoles.UnitOfficer, "tinh-b", Unit1.ToString());
    public static readonly TestCaller Appraiser = new("appraiser-1", PlatformRoles.Appraiser, Tenant);
    public static readonly TestCaller OtherTenantAppraiser = new("appraiser-x", PlatformRoles.Appraiser, "tinh-b");
    public static readonly TestCaller Admin = new("admin-1", PlatformRoles.ProvincialAdmin, Tenant);
    public static readonly TestCaller Viewer = new("viewer-1", PlatformRoles.Viewer, Tenant);
    /// <summary>Officer1 as a signed-in person: the token's name claim (here the X-Par-Name header) says who.</summary>
    public static readonly TestCaller NamedOfficer1 = Officer1 with { Name = "Nguyễn Thị Hoà" };
    public static readonly TestCaller NamedAppraiser = Appraiser with { Name = "Trần Văn Thẩm" };

    public static async Task<TestPlatform> StartAsync(IReadOnlyDictionary<string, string>? evidenceConfiguration = null, bool withSubmission = true)
    {
        var infrastructure = await TestInfrastructure.SharedAsync();
        var clock = new FakeTimeProvider(Start);
        var criteria = await TestCriteria.StartAsync();
        var criteriaAddress = criteria.Address;
        var evidenceRoot = Path.Combine(infrastructure.Folder, "evidence-" + Guid.NewGuid().ToString("N")[..8]);
        var submissionGrpcPort = LoopbackPort.Free();
        var evidenceConfig = new Dictionary<string, string>
        {
            [$"services:{ResourceNames.Criteria}:grpc:0"] = criteriaAddress.ToString(),
            [$"services:{ResourceNames.Submission}:grpc:0"] = $"http://127.0.0.1:{submissionGrpcPort}",
            ["EvidenceStorage:Root"] = evidenceRoot,
        };
        foreach (var (key, value) in evidenceConfiguration ?? new Dictionary<string, string>())
        {
            evidenceConfig[key] = value;
        }
        var evidenceHost = new ServiceHost<evidence::Program>(infrastructure, ResourceNames.EvidenceDb,
            await infrastructure.CreateDatabaseAsync("evidence"), evidenceConfig, services => services.AddSingleton<TimeProvider>(clock));
        evidenceHost.Start();
        var platform = new TestPlatform
        {
            Infrastructure = infrastructure, Clock = clock, Criteria = criteria, CriteriaAddress = criteriaAddress,
            Evidence = evidenceHost, EvidenceRoot = evidenceRoot, SubmissionGrpcPort = submissionGrpcPort,
        };
        if (withSubmission)
        {
            platform.Submission = platform.StartSubmission(await infrastructure.CreateDatabaseAsync("submission"));
        }
        return platform;
    }

    /// <summary>A submission host on the given database (a second one on the same database models a restart).</summary>
    public ServiceHost<submission::Program> StartSubmission(string connectionString, bool withOutboxDispatcher = true)
    {
        var host = new ServiceHost<submission::Program>(Infrastructure, ResourceNames.SubmissionDb, connectionString,
            new Dictionary<string, string>
            {
                [$"services:{ResourceNames.Criteria}:grpc:0"] = CriteriaAddress.ToString(),
                [$"services:{ResourceNames.EvidenceStorage}:grpc:0"] = Evidence.GrpcAddress.ToString(),
                ["Kestrel:Endpoints:grpc:Url"] = SubmissionGrpcAddress.ToString(),
            },
            services =>
            {
                services.AddSingleton<TimeProvider>(Clock);
                if (!withOutboxDispatcher)
                {
                    // Models a process killed after the commit and before the publish.
                    foreach (var dispatcher in services.Where(service => service.ImplementationType?.Name == "OutboxDispatcher").ToList())
                    {
                        services.Remove(dispatcher);
                    }
                }
            });
        return host.Start();
    }

    public HttpClient SubmissionAs(TestCaller caller) => caller.Client(Submission!.HttpAddress);

    public HttpClient EvidenceAs(TestCaller caller) => caller.Client(Evidence.HttpAddress);

    public async ValueTask DisposeAsync()
    {
        if (Submission is not null)
        {
            await Submission.DisposeAsync();
        }
        await Evidence.DisposeAsync();
        await Criteria.DisposeAsync();
    }
}

public static class Http
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    /// <summary>Asserts a ProblemDetails of the given status and type, and returns it.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, int status, string type)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status} {type}, got {(int)response.StatusCode}: {body}");
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal(type, problem.GetProperty("type").GetString());
        return problem;
    }

    public static Task<HttpResponseMessage> PutJsonAsync<T>(this HttpClient client, string uri, T value) => client.PutAsJsonAsync(uri, value, Json);

    public static Task<HttpResponseMessage> PostJsonAsync<T>(this HttpClient client, string uri, T value) => client.PostAsJsonAsync(uri, value, Json);
}

public sealed record AssessmentDto(Guid Id, Guid RoundId, Guid UnitId, string Status, int AppraisalRound, int Revision, List<ItemDto> Items)
{
    public ItemDto Item(string code) => Items.Single(item => item.Code == code);
}

public sealed record ItemDto(
    string Code, string FieldCode, decimal MaxPoints, decimal MinPoints, bool EvidenceRequired, decimal? SelfScore, string? Explanation,
    Guid[] EvidenceIds, decimal? AppraisedScore1, decimal? AppraisedScore2, decimal? AppraisedScore, string? AppraiserComment,
    DateTimeOffset? SupplementaryDueAt, string? UpdatedBy, string Kind, List<AppraisalDto> Appraisals, int Version = 0);

public sealed record AppraisalDto(int Revision, int AppraisalRound, decimal Score, string? Comment, string UserId, string UserName);

public sealed record AuditDto(long Id, DateTimeOffset At, string UserId, string UserName, string Role, string? ItemCode, string Field, string? Before, string? After, string? Reason);

public sealed record EvidenceDto(Guid Id, string TenantId, Guid UnitId, Guid RoundId, string Title, string? DocumentNumber, string? Issuer,
    string? IssueDate, string FileName, string MediaType, long Size, string Sha256, string UploadedBy);
