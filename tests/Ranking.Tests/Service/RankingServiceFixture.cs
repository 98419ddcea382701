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
    public CriteriaFixtureServer Criteria { get; private set; } = null!;
    public ServiceHost<Program> Host { get; private set; } = null!;
    public IBus Bus => Host.Services.GetRequiredService<IBus>();

    public async Task InitializeAsync()
    {
        var infrastructure = await TestInfrastructure.SharedAsync();
        Criteria = await CriteriaFixtureServer.StartAsync();
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
        AddRound(year, previousRoundId, unitNames.ToDictionary(name => name, _ => Guid.NewGuid()));

    /// <summary>A round whose units keep the given ids (the same unit evaluated again next year).</summary>
    public TestRound AddRound(int year, string? previousRoundId, IReadOnlyDictionary<string, Guid> unitIds)
    {
        var set = TestSets.District6535();
        Criteria.Data.Sets[set.Id] = set;
        var round = new Round
        {
            Id = Guid.NewGuid().ToString(), TenantId = Tenant, Year = year, Name = $"Chỉ số CCHC {year} cấp huyện",
            CriteriaSetId = set.Id, RankingGroup = "districts", PreviousRoundId = previousRoundId ?? "",
        };
        Criteria.Data.Rounds[round.Id] = round;
        var units = unitIds.Select(unit => new EvaluatedUnit { Id = unit.Value.ToString(), TenantId = Tenant, Name = unit.Key }).ToList();
        Criteria.Data.Units[round.Id] = units;
        return new TestRound(Guid.Parse(round.Id), units.ToDictionary(unit => unit.Name, unit => Guid.Parse(unit.Id)));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Criteria.DisposeAsync();
    }
}

public sealed record TestRound(Guid RoundId, IReadOnlyDictionary<string, Guid> Units)
{
    public AppraisalFinalized Appraisal(string unit, int revision, decimal item111, decimal item112) =>
        new(Guid.NewGuid(), RoundId, RankingServiceFixture.Tenant, Units[unit], revision, DateTimeOffset.UnixEpoch,
            [new("1.1.1", item111), new("1.1.2", item112)]);

    /// <param name="percent">Measured on the survey service's 100-point scale.</param>
    public SurveyScoresUpdated Survey(string unit, long sequence, decimal percent) =>
        new(RoundId, RankingServiceFixture.Tenant, Units[unit], sequence, DateTimeOffset.UnixEpoch,
            [new("2.1.1", percent, 100m, 400, false)]);
}

[CollectionDefinition(Name)]
public sealed class RankingServiceCollection : ICollectionFixture<RankingServiceFixture>
{
    public const string Name = "ranking service";
}
