using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using ParPlatform.Contracts;
using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.Contracts.Events;
using ParPlatform.ServiceDefaults.Identity;
using ParPlatform.Testing;

namespace ParPlatform.Ranking.Tests.Service;

/// <summary>
/// The ranking service on real sockets, its own fresh database on the assembly's throwaway PostgreSQL, the real
/// RabbitMQ, and a fixture criteria service over real gRPC. Events are published to the broker with the service's bus.
/// </summary>
public sealed class RankingServiceFixture : IAsyncLifetime
{
    public const string Tenant = "dien-bien";
    public static readonly TestCaller ProvinceAdmin = new("admin-db", PlatformRoles.ProvincialAdmin, Tenant);
    public static readonly TestCaller OtherProvinceAdmin = new("admin-hn", PlatformRoles.ProvincialAdmin, "ha-noi");
    public static readonly TestCaller MinistryClient = new("ministry-system", PlatformRoles.MinistryClient, PlatformClaims.NationalTenant);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2022, 1, 20, 2, 0, 0, TimeSpan.Zero));
    public FakeCriteriaServer Criteria { get; private set; } = null!;
    public ServiceHost<Program> Host { get; private set; } = null!;
    public IBus Bus => Host.Services.GetRequiredService<IBus>();

    public async Task InitializeAsync()
    {
        var infrastructure = await TestInfrastructure.SharedAsync();
        Criteria = await FakeCriteriaServer.StartAsync();
        var database = await infrastructure.CreateDatabaseAsync("ranking");
        Host = new ServiceHost<Program>(
            infrastructure, ResourceNames.RankingDb, database,
            new Dictionary<string, string> { [$"services:{ResourceNames.Criteria}:{ResourceNames.GrpcEndpoint}:0"] = Criteria.Address.ToString() },
            services => services.AddSingleton<TimeProvider>(Clock)).Start();
    }

    public HttpClient Client(TestCaller caller) => caller.Client(Host.HttpAddress);

    public async Task<NpgsqlConnection> OpenDatabaseAsync()
    {
        var connection = new NpgsqlConnection(Host.SuperuserConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>A district round judged by the 65/35 set, with the given units (names), in the fixture criteria service.</summary>
    public TestRound AddRound(int year, string? previousRoundId, params string[] unitNames) =>
        AddRound(year, previousRoundId, Named(unitNames));

    public static IReadOnlyDictionary<string, Guid> Named(params string[] unitNames) =>
        unitNames.ToDictionary(name => name, _ => Guid.NewGuid());

    /// <summary>A round whose units keep the given ids (the same unit evaluated again next year).</summary>
    /// <param name="set">The round's criteria set (default: the 65/35 district set).</param>
    /// <param name="publicationAt">The round's publication date (default: none set).</param>
    public TestRound AddRound(
        int year, string? previousRoundId, IReadOnlyDictionary<string, Guid> unitIds, CriteriaSet? set = null,
        string tenant = Tenant, string rankingGroup = "districts", DateTimeOffset? publicationAt = null)
    {
        set ??= TestSets.District6535();
        Criteria.Data.Sets[set.Id] = set;
        var round = new Round
        {
            Id = Guid.NewGuid().ToString(), TenantId = tenant, Year = year, Name = $"Chỉ số CCHC {year} cấp huyện",
            CriteriaSetId = set.Id, RankingGroup = rankingGroup, PreviousRoundId = previousRoundId ?? "",
            PublicationAt = publicationAt is { } at ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at) : null,
        };
        Criteria.Data.Rounds[round.Id] = round;
        // Codes in the order the units are given: "H01", "H02", ...
        var units = unitIds.Select((unit, i) => new EvaluatedUnit
        {
            Id = unit.Value.ToString(), TenantId = tenant, Name = unit.Key, Code = $"H{i + 1:00}",
        }).ToList();
        Criteria.Data.Units[round.Id] = units;
        return new TestRound(Guid.Parse(round.Id), units.ToDictionary(unit => unit.Name, unit => Guid.Parse(unit.Id)), tenant);
    }

    /// <summary>Marks items "không áp dụng" for a unit in the fixture criteria service, as its REST endpoint would.</summary>
    public RoundApplicabilityChanged SetNotApplicable(TestRound round, string unit, params string[] codes)
    {
        var member = Criteria.Data.Units[round.RoundId.ToString()].Single(u => u.Name == unit);
        member.NotApplicableCodes.Clear();
        member.NotApplicableCodes.AddRange(codes);
        return new RoundApplicabilityChanged(round.RoundId, round.TenantId, round.Units[unit], codes, Clock.GetUtcNow());
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Criteria.DisposeAsync();
    }
}

public sealed record TestRound(Guid RoundId, IReadOnlyDictionary<string, Guid> Units, string TenantId = RankingServiceFixture.Tenant)
{
    public AppraisalFinalized Appraisal(string unit, int revision, decimal item111, decimal item112) =>
        Appraisal(unit, revision, ("1.1.1", item111), ("1.1.2", item112));

    public AppraisalFinalized Appraisal(string unit, int revision, params (string Code, decimal Score)[] items) =>
        new(Guid.NewGuid(), RoundId, TenantId, Units[unit], revision, DateTimeOffset.UnixEpoch,
            items.Select(item => new AppraisedItemScore(item.Code, item.Score)).ToList());

    /// <param name="percent">Measured on the survey service's 100-point scale.</param>
    public SurveyScoresUpdated Survey(string unit, long sequence, decimal percent) =>
        new(RoundId, TenantId, Units[unit], sequence, DateTimeOffset.UnixEpoch,
            [new("2.1.1", percent, 100m, 400, false)]);
}

[CollectionDefinition(Name)]
public sealed class RankingServiceCollection : ICollectionFixture<RankingServiceFixture>
{
    public const string Name = "ranking service";
}
