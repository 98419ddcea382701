using System.Text.Json.Serialization;

namespace ParPlatform.Criteria.Model;

[JsonConverter(typeof(JsonStringEnumConverter<LineageKind>))]
public enum LineageKind { Merge, Split, Rename }

/// <param name="ProvinceTenantId">On a province unit of the national tenant: the tenant that keeps that province's own
/// registry, whose administrators may read the unit and register their units under it.</param>
public sealed record EvaluatedUnit(
    Guid Id, string TenantId, string Code, string Name, EvaluatedLevel Type, Guid? ParentId, DateOnly ValidFrom, DateOnly? ValidTo,
    string? ProvinceTenantId = null);

/// <summary>Units <see cref="FromUnitIds"/> became <see cref="ToUnitIds"/> on <see cref="EffectiveOn"/>.</summary>
public sealed record LineageEvent(
    Guid Id, string TenantId, LineageKind Kind, DateOnly EffectiveOn, IReadOnlyList<Guid> FromUnitIds, IReadOnlyList<Guid> ToUnitIds, string? Note);

/// <summary>
/// A unit reached by following lineage, with the last event on the way; a unit no event touched resolves to itself
/// with no event, so "last year's X is this year's X" needs no special case in callers.
/// </summary>
public sealed record LineageLink(Guid UnitId, LineageKind? Kind, DateOnly? EffectiveOn);

public static class Lineage
{
    /// <summary>
    /// Follows events transitively until no further event applies: forward gives the current unit(s) a former unit
    /// corresponds to, backward the original unit(s) a unit descends from. A unit that both gives and receives in one
    /// event (absorbs another) is its own continuation.
    /// </summary>
    public static IReadOnlyList<LineageLink> Resolve(Guid start, IReadOnlyList<LineageEvent> events, bool forward)
    {
        var results = new List<LineageLink>();
        var seen = new HashSet<Guid> { start };
        var frontier = new Queue<(Guid Unit, LineageLink? Via)>([(start, null)]);
        while (frontier.TryDequeue(out var item))
        {
            var next = events
                .Where(e => (forward ? e.FromUnitIds : e.ToUnitIds).Contains(item.Unit))
                .Where(e => !(forward ? e.ToUnitIds : e.FromUnitIds).Contains(item.Unit))
                .OrderBy(e => e.EffectiveOn)
                .ToList();
            if (next.Count == 0)
            {
                results.Add(item.Via ?? new LineageLink(item.Unit, null, null));
                continue;
            }
            foreach (var e in next)
            {
                foreach (var unit in forward ? e.ToUnitIds : e.FromUnitIds)
                {
                    if (seen.Add(unit)) frontier.Enqueue((unit, new LineageLink(unit, e.Kind, e.EffectiveOn)));
                }
            }
        }
        return results;
    }
}
