using ParPlatform.Ranking.Scoring;
using ParPlatform.ServiceDefaults.Figures;
using static ParPlatform.Ranking.Tests.Scoring.Sets;

namespace ParPlatform.Ranking.Tests.Scoring;

public class YearOverYearTests
{
    private static readonly RoundHeader Round2021 = new(Guid.NewGuid(), "dien-bien", 2021, "CCHC 2021 cấp huyện", Guid.NewGuid(), "districts", Guid.NewGuid());

    [Fact]
    public void A_renamed_district_compares_directly_up_2_30_points_and_2_places()
    {
        // 2021: 80.28 points, 7th of 18, +2.30 points and +2 places on 2020 (when it was 9th with 77.98).
        var renamed = Scored("Thị xã Mường Lay", 80.2805m);
        var others = Enumerable.Range(1, 17).Select(i => Scored($"Huyện {i:00}", i <= 6 ? 90m - i : 70m - i));
        var oldId = Guid.NewGuid();
        var previous = new Dictionary<Guid, PreviousStanding> { [oldId] = new(oldId, "Huyện Mường Lay", 77.98m, 77.98m, 9) };
        var lineage = new Dictionary<Guid, IReadOnlyList<Predecessor>> { [renamed.UnitId] = [new(oldId, LineageEvent.Rename)] };

        var table = GroupTable.Build(Round2021, Simple, [renamed, .. others], RankingOptions.Default, DateTimeOffset.UnixEpoch, previous, lineage);

        var row = table.Rows.Single(r => r.Result.UnitId == renamed.UnitId);
        Assert.Equal((7, 18), (row.Rank, table.Rows.Count));
        Assert.Equal("rename", row.Change!.Basis);
        Assert.Equal(2.3005m, row.Change.PointsChange);
        Assert.Equal("+2,30", Figures.Change(row.Change.PointsChange));
        Assert.Equal(2, row.Change.RankChange);
    }

    [Fact]
    public void A_merged_unit_compares_with_its_predecessors_mean_and_shows_no_rank_change()
    {
        var merged = new RankedUnit(3, Scored("Tỉnh mới", 78.5m));
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var previous = new Dictionary<Guid, PreviousStanding>
        {
            [a] = new(a, "Tỉnh A", 70m, 70m, 40),
            [b] = new(b, "Tỉnh B", 80m, 80m, 12),
        };

        var change = YearOverYear.Compare(merged, previous, [new(a, LineageEvent.Merge), new(b, LineageEvent.Merge)])!;

        Assert.Equal(("merge", 75m, 75m, (int?)null), (change.Basis, change.PreviousPoints, change.PreviousPercent, change.PreviousRank));
        Assert.Equal((3.5m, 3.5m), (change.PointsChange, change.PercentChange));
        Assert.Null(change.RankChange);
    }

    [Fact]
    public void The_same_unit_compares_directly_and_a_new_unit_has_no_comparison()
    {
        var unit = new RankedUnit(5, Scored("Sở A", 70m));
        var previous = new Dictionary<Guid, PreviousStanding> { [unit.Result.UnitId] = new(unit.Result.UnitId, "Sở A", 72.5m, 72.5m, 2) };

        var same = YearOverYear.Compare(unit, previous, [])!;

        Assert.Equal(("same", -2.5m, -3), (same.Basis, same.PointsChange, same.RankChange));
        Assert.Null(YearOverYear.Compare(new RankedUnit(1, Scored("Sở mới", 80m)), previous, []));
    }

    [Fact]
    public void A_unit_split_off_another_compares_with_it_without_a_rank_change()
    {
        var unit = new RankedUnit(2, Scored("Phường B", 81m));
        var parent = Guid.NewGuid();
        var previous = new Dictionary<Guid, PreviousStanding> { [parent] = new(parent, "Thị trấn", 79m, 79m, 4) };

        var change = YearOverYear.Compare(unit, previous, [new(parent, LineageEvent.Split)])!;

        Assert.Equal(("split", 2m, (int?)null), (change.Basis, change.PointsChange, change.RankChange));
    }

    [Fact]
    public void A_unit_that_absorbed_another_compares_with_both_and_shows_no_rank_change()
    {
        var absorbing = new RankedUnit(1, Scored("Tỉnh A", 84m));
        var absorbed = Guid.NewGuid();
        var previous = new Dictionary<Guid, PreviousStanding>
        {
            [absorbing.Result.UnitId] = new(absorbing.Result.UnitId, "Tỉnh A", 82m, 82m, 5),
            [absorbed] = new(absorbed, "Tỉnh B", 78m, 78m, 20),
        };

        var change = YearOverYear.Compare(absorbing, previous, [new(absorbed, LineageEvent.Merge)])!;

        Assert.Equal(("merge", 80m, 4m, (int?)null), (change.Basis, change.PreviousPoints, change.PointsChange, change.RankChange));
    }
}
