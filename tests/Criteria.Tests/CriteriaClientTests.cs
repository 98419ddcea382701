using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ParPlatform.Contracts;
using ParPlatform.Contracts.Criteria.V1;
using ParPlatform.ServiceDefaults.Criteria;
using ParPlatform.ServiceDefaults.Messaging;
using ParPlatform.Testing;

namespace ParPlatform.Criteria.Tests;

/// <summary>
/// The one client of the criteria service that submission, survey, ranking and evidence-storage share, registered as
/// they register it (service discovery, gRPC retries), against a fake criteria service over real gRPC.
/// </summary>
public sealed class CriteriaClientTests
{
    private static readonly Guid RoundId = Guid.Parse("c1a00000-0000-4000-8000-000000000001");
    private static readonly Guid SetId = Guid.Parse("c1a00000-0000-4000-8000-000000000002");

    [Fact]
    public async Task A_published_set_is_read_from_the_criteria_service_once_and_then_from_the_cache()
    {
        await using var criteria = await FakeCriteriaServer.StartAsync(data => data.Sets[SetId.ToString()] = Set(SetStatus.Published));
        using var host = ClientHost(criteria.Address);
        var client = host.Services.GetRequiredService<CriteriaClient>();

        var first = await client.GetCriteriaSetAsync(SetId.ToString(), CancellationToken.None);
        var second = await client.GetCriteriaSetAsync(SetId.ToString(), CancellationToken.None);

        Assert.Equal(("Bộ tiêu chí thử", 1), (second!.Name, criteria.Data.CallsOf("GetCriteriaSet")));
        Assert.Same(first, second);
    }

    [Fact]
    public async Task A_draft_set_and_rounds_are_read_each_time_so_an_edit_or_a_moved_window_is_seen_at_once()
    {
        await using var criteria = await FakeCriteriaServer.StartAsync(data =>
        {
            data.Sets[SetId.ToString()] = Set(SetStatus.Draft);
            data.Rounds[RoundId.ToString()] = Round(closes: new DateTimeOffset(2026, 1, 20, 0, 0, 0, TimeSpan.Zero));
        });
        using var host = ClientHost(criteria.Address);
        var client = host.Services.GetRequiredService<CriteriaClient>();

        await client.GetCriteriaSetAsync(SetId.ToString(), CancellationToken.None);
        criteria.Data.Sets[SetId.ToString()] = Set(SetStatus.Draft, name: "Bộ tiêu chí đã sửa");
        Assert.Equal("Bộ tiêu chí đã sửa", (await client.GetCriteriaSetAsync(SetId.ToString(), CancellationToken.None))!.Name);

        await client.GetRoundAsync(RoundId, CancellationToken.None);
        var moved = new DateTimeOffset(2026, 1, 31, 0, 0, 0, TimeSpan.Zero);
        criteria.Data.Rounds[RoundId.ToString()] = Round(closes: moved);
        Assert.Equal(moved, (await client.GetRoundAsync(RoundId, CancellationToken.None))!.SelfAssessmentClosesAt.ToDateTimeOffset());

        Assert.Equal((2, 2), (criteria.Data.CallsOf("GetCriteriaSet"), criteria.Data.CallsOf("GetRound")));
    }

    [Fact]
    public async Task With_a_round_lifetime_a_round_and_its_units_are_cached_for_that_long()
    {
        await using var criteria = await FakeCriteriaServer.StartAsync(data =>
        {
            data.Rounds[RoundId.ToString()] = Round(closes: new DateTimeOffset(2026, 1, 20, 0, 0, 0, TimeSpan.Zero));
            data.Units[RoundId.ToString()] = [new EvaluatedUnit { Id = Guid.NewGuid().ToString(), Name = "Xã 1" }];
        });
        using var host = ClientHost(criteria.Address, options => options.RoundLifetime = TimeSpan.FromMinutes(1));
        var client = host.Services.GetRequiredService<CriteriaClient>();

        for (var i = 0; i < 3; i++)
        {
            Assert.NotNull(await client.GetRoundAsync(RoundId, CancellationToken.None));
            Assert.Single((await client.ListRoundUnitsAsync(RoundId, CancellationToken.None))!);
        }

        Assert.Equal((1, 1), (criteria.Data.CallsOf("GetRound"), criteria.Data.CallsOf("ListRoundUnits")));
    }

    [Fact]
    public async Task A_rounds_units_are_read_again_only_when_its_units_version_moves()
    {
        await using var criteria = await FakeCriteriaServer.StartAsync(data =>
        {
            data.Rounds[RoundId.ToString()] = Round(closes: new DateTimeOffset(2026, 1, 20, 0, 0, 0, TimeSpan.Zero));
            data.Units[RoundId.ToString()] = [new EvaluatedUnit { Id = Guid.NewGuid().ToString(), Name = "Xã 1" }];
            data.UnitsVersion = 7;
        });
        using var host = ClientHost(criteria.Address); // no round lifetime: the round itself is read every time
        var client = host.Services.GetRequiredService<CriteriaClient>();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("Xã 1", Assert.Single((await client.ListRoundUnitsAsync(RoundId, CancellationToken.None))!).Name);
        }
        Assert.Equal((3, 1), (criteria.Data.CallsOf("GetRound"), criteria.Data.CallsOf("ListRoundUnits")));

        // A unit marked not applicable (or renamed, added, removed) moves the version: the next read has it.
        criteria.Data.Units[RoundId.ToString()] = [new EvaluatedUnit { Id = Guid.NewGuid().ToString(), Name = "Xã 1", NotApplicableCodes = { "2.1" } }];
        criteria.Data.UnitsVersion = 8;
        Assert.Equal(["2.1"], Assert.Single((await client.ListRoundUnitsAsync(RoundId, CancellationToken.None))!).NotApplicableCodes);
        Assert.Equal((4, 2), (criteria.Data.CallsOf("GetRound"), criteria.Data.CallsOf("ListRoundUnits")));
    }

    [Fact]
    public async Task What_the_criteria_service_does_not_know_is_null()
    {
        await using var criteria = await FakeCriteriaServer.StartAsync();
        using var host = ClientHost(criteria.Address);
        var client = host.Services.GetRequiredService<CriteriaClient>();

        Assert.Null(await client.GetRoundAsync(RoundId, CancellationToken.None));
        Assert.Null(await client.ListRoundUnitsAsync(RoundId, CancellationToken.None));
        Assert.Null(await client.GetCriteriaSetAsync(SetId.ToString(), CancellationToken.None));
    }

    [Fact]
    public async Task A_criteria_service_that_does_not_answer_within_the_deadline_is_unavailable()
    {
        await using var criteria = await FakeCriteriaServer.StartAsync(data =>
        {
            data.Rounds[RoundId.ToString()] = Round(closes: DateTimeOffset.UnixEpoch);
            data.Delay = TimeSpan.FromSeconds(30);
        });
        using var host = ClientHost(criteria.Address, options => options.Deadline = TimeSpan.FromMilliseconds(300));
        var client = host.Services.GetRequiredService<CriteriaClient>();

        var watch = Stopwatch.StartNew();
        var refused = await Assert.ThrowsAsync<CriteriaUnavailableException>(() => client.GetRoundAsync(RoundId, CancellationToken.None));

        Assert.Equal(StatusCode.DeadlineExceeded, refused.StatusCode);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_criteria_service_that_is_down_is_retried_and_then_unavailable()
    {
        await using var criteria = await FakeCriteriaServer.StartAsync(data => data.Unavailable = true);
        using var host = ClientHost(criteria.Address);
        var client = host.Services.GetRequiredService<CriteriaClient>();

        var refused = await Assert.ThrowsAsync<CriteriaUnavailableException>(() => client.GetCriteriaSetAsync(SetId.ToString(), CancellationToken.None));

        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal(4, criteria.Data.CallsOf("GetCriteriaSet")); // gRPC's retry policy of AddGrpcServiceClient

        // Nothing listening at all: the same answer.
        using var nowhere = ClientHost(new Uri($"http://127.0.0.1:{LoopbackPort.Free()}"));
        Assert.Equal(StatusCode.Unavailable, (await Assert.ThrowsAsync<CriteriaUnavailableException>(() =>
            nowhere.Services.GetRequiredService<CriteriaClient>().GetRoundAsync(RoundId, CancellationToken.None))).StatusCode);
    }

    [Fact]
    public async Task The_contract_s_decimals_are_read_exactly_whatever_the_culture()
    {
        var set = Set(SetStatus.Published);
        (set.MaxPoints, set.ScoreStep, set.BonusCap, set.PenaltyCap) = ("99.5", "0.25", "30.5", "");
        set.Fields.Add(new CriteriaNode { Code = "10.1", Name = "Điểm trừ", Kind = NodeKind.Criterion, MaxPoints = "0", MinPoints = "-2", IsPenalty = true });
        await using var criteria = await FakeCriteriaServer.StartAsync(data => data.Sets[SetId.ToString()] = set);
        using var host = ClientHost(criteria.Address);
        var received = (await host.Services.GetRequiredService<CriteriaClient>().GetCriteriaSetAsync(SetId.ToString(), CancellationToken.None))!;

        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("vi-VN"); // "," is its decimal separator, "." groups thousands
        try
        {
            decimal?[] parsed = [.. new[] { received.MaxPoints, received.ScoreStep, received.BonusCap, received.Fields[0].MinPoints }
                .Select(CriteriaClient.ParseDecimal)];
            Assert.Equal([99.5m, 0.25m, 30.5m, -2m], parsed);
            // Exactly: the same digits and scale, no binary rounding on the way.
            Assert.Equal(["99.5", "0.25", "30.5", "-2"], parsed.Select(value => value!.Value.ToString(CultureInfo.InvariantCulture)));
            Assert.Null(CriteriaClient.ParseDecimal(received.PenaltyCap)); // "": no cap
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    /// <summary>The client as every service registers it: service discovery to <c>services:criteria:grpc:0</c>.</summary>
    private static IHost ClientHost(Uri criteria, Action<CriteriaClientOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"services:{ResourceNames.Criteria}:{ResourceNames.GrpcEndpoint}:0"] = criteria.ToString(),
        });
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http => http.AddServiceDiscovery());
        builder.AddCriteriaClient(configure);
        return builder.Build();
    }

    private static CriteriaSet Set(SetStatus status, string name = "Bộ tiêu chí thử") =>
        new() { Id = SetId.ToString(), Code = "THU-2026", Name = name, Year = 2026, Status = status, Version = 1 };

    private static Round Round(DateTimeOffset closes) => new()
    {
        Id = RoundId.ToString(), TenantId = "tinh-a", Year = 2026, Name = "Chỉ số CCHC 2026", CriteriaSetId = SetId.ToString(),
        SelfAssessmentClosesAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(closes),
    };
}
