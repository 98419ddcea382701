using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ParPlatform.Ranking.Criteria;
using ParPlatform.Ranking.Scoring;

namespace ParPlatform.Ranking.Live;

/// <summary>
/// The live table of each recently read round, kept in memory so the next read loads only the units changed since
/// (their version, migration V4) and re-ranks, instead of reading and parsing every scorecard of the group again
/// (a 3,321-commune group: about 200 ms). An entry is rebuilt from scratch when the round's units or set change in
/// the criteria service, and after <see cref="RebuildAfter"/>, since the year-over-year inputs (the previous round's
/// publication, unit lineage) are announced by no event this service hears.
/// </summary>
public sealed class LiveTableCache
{
    public static readonly TimeSpan RebuildAfter = TimeSpan.FromMinutes(5);

    /// <summary>Rounds kept at once; the least recently read goes first (a province reads a handful of rounds).</summary>
    public const int MaxRounds = 64;

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _gates = new();

    /// <param name="Version">The round's version the entry holds every change up to.</param>
    /// <param name="RoundKey">What the criteria service said of the round when the entry was built (<see cref="KeyOf"/>).</param>
    internal sealed record Entry(
        long Version, string RoundKey, DateTimeOffset BuiltAt, IReadOnlyDictionary<Guid, UnitResult> Results,
        IReadOnlyDictionary<Guid, UnitInputsReceived> Received, IReadOnlyDictionary<Guid, PreviousStanding> Previous,
        IReadOnlyDictionary<Guid, IReadOnlyList<Predecessor>> Lineage, GroupTable Table)
    {
        public DateTimeOffset LastRead { get; set; }
    }

    /// <summary>One refresh of a round at a time: concurrent readers wait and take its result.</summary>
    internal SemaphoreSlim GateOf(Guid roundId) => _gates.GetOrAdd(roundId, _ => new SemaphoreSlim(1, 1));

    internal Entry? Find(Guid roundId) => _entries.GetValueOrDefault(roundId);

    internal void Keep(Guid roundId, Entry entry)
    {
        _entries[roundId] = entry;
        if (_entries.Count > MaxRounds
            && _entries.MinBy(pair => pair.Value.LastRead) is { Key: var oldest } && oldest != roundId)
        {
            _entries.TryRemove(oldest, out _);
        }
    }

    /// <summary>A fingerprint of the round as the criteria service describes it: header, set, units, names, codes, N/A marks.</summary>
    internal static string KeyOf(RoundContext round)
    {
        var text = new StringBuilder().Append(round.Round).Append('|').Append(round.Set.Id);
        foreach (var unit in round.Units.Values.OrderBy(unit => unit.UnitId))
        {
            text.Append('|').Append(unit.UnitId).Append(';').Append(unit.Name).Append(';').Append(unit.Code).Append(';')
                .AppendJoin(',', unit.NotApplicableCodes.Order(StringComparer.Ordinal));
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
