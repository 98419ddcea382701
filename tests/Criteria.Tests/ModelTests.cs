using ParPlatform.Criteria.Model;
using ParPlatform.Criteria.Seed;

namespace ParPlatform.Criteria.Tests;

public class ModelTests
{
    [Fact]
    public void Diff_between_the_demo_years_shows_added_and_reweighted_items()
    {
        var diff = SetDiff.Between(Stored(DemoSets.Departments(2024)), Stored(DemoSets.Departments(2025)));

        Assert.Equal(["7.3.4"], diff.Added.Select(item => item.Code));
        Assert.Empty(diff.Removed);
        Assert.Equal(["1", "1.5", "1.5.1", "7", "7.3"], diff.Reweighted.Select(item => item.Code).Order());
        var innovation = diff.Reweighted.Single(item => item.Code == "1.5.1");
        Assert.Equal((1.5m, 0.5m), (innovation.FromMaxPoints!.Value, innovation.ToMaxPoints!.Value));
    }

    [Fact]
    public void Not_applicable_items_lower_the_denominator_once_per_branch()
    {
        var set = Tree.Normalize(DemoSets.Departments(2024));

        Assert.Equal(100m, Applicability.ApplicableMaximum(set, []));
        Assert.Equal(98m, Applicability.ApplicableMaximum(set, ["6.1.1"]));
        // The criterion and its own sub-criterion: the branch counts once (6.1 is worth 3).
        Assert.Equal(97m, Applicability.ApplicableMaximum(set, ["6.1", "6.1.1"]));
        Assert.Equal(["9.9"], Applicability.UnknownCodes(set, ["6.1", "9.9"]));
    }

    [Fact]
    public void Thanh_Hoa_2023_is_68_32_of_84()
    {
        // The real report: 68.32 points shown as 81.33% because 16 points did not apply.
        var set = Tree.Normalize(DemoSets.Departments(2024));
        // 8.1 (10 points) and field 6 (6 points) do not apply: 16 points out.
        var denominator = Applicability.ApplicableMaximum(set, ["8.1", "6"]);
        Assert.Equal(84m, denominator);
        Assert.Equal(81.33m, Math.Round(68.32m / denominator * 100, 2, MidpointRounding.AwayFromZero));
    }

    [Fact]
    public void Round_windows_must_open_before_they_close()
    {
        var at = new DateTimeOffset(2025, 11, 10, 0, 0, 0, TimeSpan.FromHours(7));
        var windows = new RoundWindows(at, at.AddDays(-1), at, at.AddDays(10), at, at.AddDays(5), at.AddDays(30));

        Assert.Equal(["selfAssessment"], windows.Validate(2025).Keys);
    }

    internal static CriteriaSet Stored(CriteriaSetDefinition definition) => new(
        Guid.NewGuid(), SeedIds.ProvinceTenant, SetStatus.Published, 1, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch,
        null, null, Tree.Normalize(definition));
}
