using ParPlatform.Criteria.Model;

namespace ParPlatform.Criteria.Tests;

public class LineageTests
{
    private static readonly Guid A = Guid.NewGuid(), B = Guid.NewGuid(), C = Guid.NewGuid(), D = Guid.NewGuid(), E = Guid.NewGuid(), F = Guid.NewGuid();
    private static readonly DateOnly Day = new(2025, 7, 1);

    [Fact]
    public void Follows_a_merge_then_a_rename_to_the_current_unit()
    {
        LineageEvent[] events =
        [
            new(Guid.NewGuid(), "t", LineageKind.Merge, Day, [A, B], [C], null),
            new(Guid.NewGuid(), "t", LineageKind.Rename, Day.AddYears(1), [C], [D], null),
        ];

        Assert.Equal([D], Lineage.Resolve(A, events, forward: true).Select(link => link.UnitId));
        Assert.Equal(new[] { A, B }.Order(), Lineage.Resolve(D, events, forward: false).Select(link => link.UnitId).Order());
        Assert.Equal(LineageKind.Merge, Lineage.Resolve(D, events, forward: false)[0].Kind);
    }

    [Fact]
    public void A_split_resolves_to_every_part_and_an_untouched_unit_to_itself()
    {
        LineageEvent[] events = [new(Guid.NewGuid(), "t", LineageKind.Split, Day, [A], [B, C, D], null)];

        Assert.Equal(new[] { B, C, D }.Order(), Lineage.Resolve(A, events, forward: true).Select(link => link.UnitId).Order());
        Assert.Equal([new LineageLink(E, null, null)], Lineage.Resolve(E, events, forward: true));
    }

    [Fact]
    public void An_absorbing_unit_continues_itself()
    {
        LineageEvent[] events = [new(Guid.NewGuid(), "t", LineageKind.Merge, Day, [A, F], [A], null)];

        Assert.Equal([A], Lineage.Resolve(F, events, forward: true).Select(link => link.UnitId));
        Assert.Equal([A], Lineage.Resolve(A, events, forward: true).Select(link => link.UnitId));
    }
}
