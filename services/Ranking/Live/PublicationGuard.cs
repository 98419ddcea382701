using ParPlatform.Ranking.Criteria;
using ParPlatform.Ranking.Scoring;

namespace ParPlatform.Ranking.Live;

/// <param name="Exclusions">Units left out of the table on purpose, each with its reason.</param>
/// <param name="EarlyPublicationReason">An administrator's reason to publish before the round's publication date.</param>
public sealed record PublicationRequest(IReadOnlyList<UnitExclusion>? Exclusions = null, string? EarlyPublicationReason = null);

public sealed record UnitExclusion(Guid UnitId, string? Reason);

/// <summary>A unit that keeps the round from being published, and why ("not-finalised").</summary>
public sealed record BlockingUnit(Guid UnitId, string Code, string Name, string Reason);

/// <summary>Who published before the round's publication date, when, and why (kept with the snapshot).</summary>
public sealed record EarlyPublication(string By, DateTimeOffset At, string Reason, DateTimeOffset PublicationAt);

/// <summary>
/// When a round may be published: every unit of the round has a finalised appraisal or is excluded with a reason, and
/// the round's publication date has come, unless an administrator gives a reason to publish earlier. Pure.
/// </summary>
public static class PublicationGuard
{
    public const string NotFinalised = "not-finalised";

    /// <summary>What is wrong with the request itself (400), by member.</summary>
    public static Dictionary<string, string[]> Validate(RoundContext round, PublicationRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        var exclusions = request.Exclusions ?? [];
        for (var i = 0; i < exclusions.Count; i++)
        {
            if (!round.Units.ContainsKey(exclusions[i].UnitId))
            {
                errors[$"exclusions[{i}].unitId"] = [$"Unit {exclusions[i].UnitId} is not evaluated in this round."];
            }
            if (string.IsNullOrWhiteSpace(exclusions[i].Reason))
            {
                errors[$"exclusions[{i}].reason"] = ["An excluded unit needs a reason."];
            }
        }
        if (exclusions.GroupBy(exclusion => exclusion.UnitId).FirstOrDefault(group => group.Count() > 1) is { } twice)
        {
            errors["exclusions"] = [$"Unit {twice.Key} is excluded twice."];
        }
        if (request.EarlyPublicationReason is { } reason && string.IsNullOrWhiteSpace(reason))
        {
            errors["earlyPublicationReason"] = ["The reason to publish early must not be blank (omit it when not publishing early)."];
        }
        return errors;
    }

    /// <summary>The units neither finalised nor excluded, in code order.</summary>
    public static IReadOnlyList<BlockingUnit> Blocking(RoundContext round, IReadOnlySet<Guid> finalised, PublicationRequest request)
    {
        var excluded = (request.Exclusions ?? []).Select(exclusion => exclusion.UnitId).ToHashSet();
        return round.Units.Values
            .Where(unit => !finalised.Contains(unit.UnitId) && !excluded.Contains(unit.UnitId))
            .OrderBy(unit => unit.Code, StringComparer.Ordinal).ThenBy(unit => unit.UnitId)
            .Select(unit => new BlockingUnit(unit.UnitId, unit.Code, unit.Name, NotFinalised))
            .ToList();
    }

    /// <summary>Before the round's publication date without a reason to publish early.</summary>
    public static bool TooEarly(RoundHeader round, DateTimeOffset now, PublicationRequest request) =>
        round.PublicationAt is { } publicationAt && now < publicationAt && string.IsNullOrWhiteSpace(request.EarlyPublicationReason);

    public static IReadOnlyList<ExcludedUnit> Excluded(RoundContext round, PublicationRequest request) =>
        (request.Exclusions ?? []).Select(exclusion => round.Units[exclusion.UnitId])
            .Select(unit => new ExcludedUnit(unit.UnitId, unit.Code, unit.Name,
                request.Exclusions!.First(exclusion => exclusion.UnitId == unit.UnitId).Reason!.Trim()))
            .OrderBy(unit => unit.UnitCode, StringComparer.Ordinal)
            .ToList();
}
