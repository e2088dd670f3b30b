using Clickstream.Engine.State;
using Clickstream.Engine.Tests.Execution;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Clickstream.Engine.Tests.State;

/// <summary>
/// <see cref="CompactDedupState"/> against the general <see cref="DictionaryDedupState{TKey}"/> and against a plain
/// model. Expiries are generated on whole seconds after 2000-01-01, where the compact encoding is exact, and
/// eviction limits never go back (they follow the watermark), so both implementations must give the same answers.
/// Contents are compared through the public operations only, so the checks hold whatever the slot encoding.
/// </summary>
public sealed class CompactDedupStateTests
{
    private const long EpochMicros = 946_684_800_000_000; // 2000-01-01T00:00:00Z
    private const long SecondMicros = 1_000_000;

    [Property(MaxTest = 200)]
    public Property TryAddAndRemoveExpired_RandomOperations_AgreeWithDictionaryState() =>
        Prop.ForAll(Timeline(maxKeys: 64, maxOps: 400, jumpWeight: 20).ToArbitrary(), AgreeWithDictionary);

    [Property(MaxTest = 15)]
    public Property TryAddAndRemoveExpired_ManyKeysThroughGrowAndShrink_AgreeWithDictionaryState() =>
        Prop.ForAll(Timeline(maxKeys: 4_000, maxOps: 8_000, jumpWeight: 1).ToArbitrary(), AgreeWithDictionary);

    [Property(MaxTest = 40)]
    public Property Load_AnyCommittedVersion_RestoresThatVersionsKeysAndExpiries() =>
        Prop.ForAll(Versions(maxKeys: 200, maxVersions: 25, maxOps: 1_500, jumpWeight: 20).ToArbitrary(), CommitLoadRoundTrip);

    [Property(MaxTest = 10)]
    public Property Load_VersionsThatResizedMidBatch_RestoresThatVersionsKeysAndExpiries() =>
        Prop.ForAll(Versions(maxKeys: 3_000, maxVersions: 6, maxOps: 12_000, jumpWeight: 1).ToArbitrary(), CommitLoadRoundTrip);

    [Fact]
    public void TryAdd_KeysDifferingOnlyInTheTop32Bits_AreTheSameKey()
    {
        // Documented: the state keeps at most 96 bits of the 128-bit hash.
        var state = new CompactDedupState();

        Assert.True(state.TryAdd(Key(42, 1), At(10)));
        Assert.False(state.TryAdd(Key(42, 1) | ((UInt128)0xFFFF_FFFFu << 96), At(10)));
        Assert.Equal(1, state.Count);
    }

    [Fact]
    public void RemoveExpired_LimitReachesTheExpiry_RemovesTheKeyThenAndNotBefore()
    {
        var state = new CompactDedupState();
        state.TryAdd(Key(1, 1), At(100));
        state.TryAdd(Key(2, 2), At(200));

        Assert.Equal(0, state.RemoveExpired(At(100) - 1));
        Assert.Equal(1, state.RemoveExpired(At(100)));
        Assert.Equal(0, state.RemoveExpired(At(199)));
        Assert.Equal(1, state.Count);
        Assert.True(state.TryAdd(Key(1, 1), At(300)));
        Assert.False(state.TryAdd(Key(2, 2), At(300)));
    }

    [Fact]
    public void Load_DeltasWrittenAfterTheWatermarkMoved_KeepsEachKeysOwnExpiry()
    {
        using var dir = new TempDirectory("clickstream-compact");
        var state = new CompactDedupState();
        state.TryAdd(Key(1, 1), At(100));
        state.RemoveExpired(At(50));
        state.Commit(dir.Path, 1, snapshot: false);
        state.RemoveExpired(At(80));
        state.TryAdd(Key(2, 2), At(200));
        state.Commit(dir.Path, 2, snapshot: false);

        var loaded = new CompactDedupState();
        loaded.Load(dir.Path, 2);

        // Key 1 expires at 100 s whichever file it was read from; key 2 at 200 s.
        Assert.Equal(0, loaded.RemoveExpired(At(100) - 1));
        Assert.Equal(1, loaded.RemoveExpired(At(100)));
        Assert.True(loaded.TryAdd(Key(1, 1), At(300)));
        Assert.False(loaded.TryAdd(Key(2, 2), At(300)));
    }

    [Fact]
    public void MemoryBytes_MillionKeysCommittedBatchByBatch_AtMost32BytesPerKey()
    {
        using var dir = new TempDirectory("clickstream-compact");
        var state = new CompactDedupState();
        var rng = new Random(1234);
        for (var batch = 0; batch < 10; batch++)
        {
            for (var i = 0; i < 100_000; i++)
            {
                Assert.True(state.TryAdd(RandomKey(rng), At(3600)));
            }

            state.Commit(dir.Path, batch + 1, snapshot: false);
        }

        Assert.Equal(1_000_000, state.Count);
        Assert.True(state.MemoryBytes <= 32 * state.Count, $"{state.MemoryBytes / (double)state.Count:F1} bytes per key");
    }

    [Fact]
    public void MemoryBytes_MillionKeysInOneCommittedBatch_AtMost32BytesPerKey()
    {
        using var dir = new TempDirectory("clickstream-compact");
        var state = new CompactDedupState();
        var rng = new Random(4321);
        for (var i = 0; i < 1_000_000; i++)
        {
            Assert.True(state.TryAdd(RandomKey(rng), At(3600)));
        }

        state.Commit(dir.Path, 1, snapshot: false);

        Assert.Equal(1_000_000, state.Count);
        Assert.True(state.MemoryBytes <= 32 * state.Count, $"{state.MemoryBytes / (double)state.Count:F1} bytes per key after the commit");
    }

    [Fact]
    public void Load_MissingDelta_ThrowsNamingTheMissingVersion()
    {
        using var dir = new TempDirectory("clickstream-compact");
        var state = new CompactDedupState();
        for (var v = 1; v <= 3; v++)
        {
            state.TryAdd(Key((ulong)v, 0), At(100));
            state.Commit(dir.Path, v, snapshot: false);
        }

        File.Delete(Path.Combine(dir.Path, "2.delta"));

        var e = Assert.Throws<InvalidDataException>(() => new CompactDedupState().Load(dir.Path, 3));
        Assert.Contains("missing version 2", e.Message, StringComparison.Ordinal);
    }

    private static long At(long secondsAfter2000) => EpochMicros + (secondsAfter2000 * SecondMicros);

    private static UInt128 Key(ulong low, uint next) => ((UInt128)next << 64) | low;

    private static UInt128 RandomKey(Random rng)
    {
        Span<byte> b = stackalloc byte[16];
        rng.NextBytes(b);
        return System.Runtime.InteropServices.MemoryMarshal.Read<UInt128>(b);
    }

    private static void AgreeWithDictionary(Op[] ops)
    {
        var compact = new CompactDedupState();
        var dictionary = new DictionaryDedupState<UInt128>(KeyCodecs.UInt128);
        for (var i = 0; i < ops.Length; i++)
        {
            var op = ops[i];
            if (op.IsAdd)
            {
                Assert.True(dictionary.TryAdd(op.Key, op.Micros) == compact.TryAdd(op.Key, op.Micros), $"op {i}: TryAdd({op.Key:X}) disagrees");
            }
            else
            {
                Assert.True(dictionary.RemoveExpired(op.Micros) == compact.RemoveExpired(op.Micros), $"op {i}: RemoveExpired({op.Micros}) disagrees");
            }

            Assert.True(dictionary.Count == compact.Count, $"op {i}: Count {compact.Count}, expected {dictionary.Count}");
        }
    }

    private static void CommitLoadRoundTrip(Version[] versions)
    {
        using var dir = new TempDirectory("clickstream-compact");
        var state = new CompactDedupState();
        var model = new Dictionary<UInt128, long>();
        var expected = new List<(Dictionary<UInt128, long> Keys, long Limit)> { (new(), EpochMicros) };
        var limit = EpochMicros;
        for (var v = 0; v < versions.Length; v++)
        {
            foreach (var op in versions[v].Ops)
            {
                Apply(state, model, op);
                limit = op.IsAdd ? limit : op.Micros;
            }

            state.Commit(dir.Path, v + 1, versions[v].Snapshot);
            expected.Add((new Dictionary<UInt128, long>(model), limit));
        }

        for (var v = 0; v < expected.Count; v++)
        {
            var loaded = new CompactDedupState();
            loaded.Load(dir.Path, v);
            AssertContents(expected[v].Keys, expected[v].Limit, loaded, $"version {v}");
        }

        // A loaded state keeps working: what it adds and expires lands in the next version on top of what it read.
        var last = new CompactDedupState();
        last.Load(dir.Path, versions.Length);
        var continued = new Dictionary<UInt128, long>(expected[^1].Keys);
        // Expiries are whole milliseconds, as the operator computes them (event time in ms + delay).
        Apply(last, continued, new Op(true, Key(0xDEAD_BEEF, 7), (limit / 1000 * 1000) + (5 * SecondMicros)));
        Apply(last, continued, new Op(false, default, limit + SecondMicros));
        last.Commit(dir.Path, versions.Length + 1, snapshot: false);
        var again = new CompactDedupState();
        again.Load(dir.Path, versions.Length + 1);
        AssertContents(continued, limit + SecondMicros, again, "the version after a reload");
    }

    private static void Apply(CompactDedupState state, Dictionary<UInt128, long> model, Op op)
    {
        if (op.IsAdd)
        {
            var added = state.TryAdd(op.Key, op.Micros);
            Assert.Equal(!model.ContainsKey(op.Key), added);
            if (added)
            {
                model[op.Key] = op.Micros;
            }
        }
        else
        {
            var expired = model.Where(kv => kv.Value <= op.Micros).Select(kv => kv.Key).ToList();
            Assert.Equal(expired.Count, state.RemoveExpired(op.Micros));
            foreach (var k in expired)
            {
                model.Remove(k);
            }
        }
    }

    /// <summary>
    /// Checks keys and expiries through the public operations (this consumes the state): every model key is present
    /// (adding it again fails); the last eviction limit again removes exactly the keys added after it that had
    /// already expired; then raising the limit to each later expiry in turn removes exactly the keys with that
    /// expiry while every later one stays. Limits only move forward, as the watermark does.
    /// </summary>
    private static void AssertContents(Dictionary<UInt128, long> model, long lastLimit, CompactDedupState state, string what)
    {
        Assert.True(model.Count == state.Count, $"{what}: {state.Count} keys, expected {model.Count}");
        foreach (var key in model.Keys)
        {
            Assert.False(state.TryAdd(key, long.MaxValue), $"{what}: key {key:X} is missing");
        }

        var remaining = model.Where(kv => kv.Value > lastLimit).ToList();
        Assert.True(model.Count - remaining.Count == state.RemoveExpired(lastLimit), $"{what}: wrong number of keys expired at the last limit {lastLimit}");
        foreach (var group in remaining.GroupBy(kv => kv.Value).OrderBy(g => g.Key).ToList())
        {
            Assert.True(state.RemoveExpired(group.Key - 1) == 0, $"{what}: keys expiring at {group.Key} went before it");
            Assert.True(group.Count() == state.RemoveExpired(group.Key), $"{what}: wrong number of keys expired at {group.Key}");
            remaining.RemoveAll(kv => kv.Value == group.Key);
            foreach (var (key, _) in remaining)
            {
                Assert.False(state.TryAdd(key, long.MaxValue), $"{what}: key {key:X} expired before its time");
            }
        }

        Assert.Equal(0, state.Count);
    }

    private static Gen<UInt128[]> KeyPool(int maxKeys) =>
        from n in Gen.Choose(1, maxKeys)
        from seed in Gen.Choose(0, int.MaxValue)
        select Enumerable.Range(0, n).Select(i => Key(Mix((ulong)seed + ((ulong)i * 0x9E3779B97F4A7C15UL)), (uint)Mix((ulong)i + 17))).ToArray();

    // A watermark-like eviction limit that only moves forward, by up to a few seconds at a time (to any microsecond)
    // and now and then far ahead; keys get whole-second expiries from a few seconds behind the limit (already
    // expired) to 300 s after it. With many keys the table grows, fills with tombstones and shrinks, within a batch
    // as well as across batches.
    private static Gen<Op[]> Timeline(int maxKeys, int maxOps, int jumpWeight) =>
        from pool in KeyPool(maxKeys)
        from n in Gen.Choose(0, maxOps)
        from steps in Gen.ArrayOf(
            Gen.Frequency(
                (4_000, from k in Gen.Elements(pool) from ttl in Gen.Choose(-5, 300) select (Key: k, Ttl: ttl, TickMicros: -1L)),
                (600, from d in Gen.Choose(0, 2_000) from micros in Gen.Elements(0, 1, 999) select (Key: UInt128.Zero, Ttl: 0, TickMicros: (d * 1_000L) + micros)),
                (jumpWeight, from d in Gen.Choose(300, 500) select (Key: UInt128.Zero, Ttl: 0, TickMicros: d * SecondMicros))),
            n)
        select FoldTimeline(steps);

    private static Gen<Version[]> Versions(int maxKeys, int maxVersions, int maxOps, int jumpWeight) =>
        from ops in Timeline(maxKeys, maxOps, jumpWeight)
        from count in Gen.Choose(1, maxVersions)
        from cuts in Gen.ArrayOf(Gen.Choose(0, ops.Length), count - 1)
        from snapshots in Gen.ArrayOf(Gen.Frequency((1, Gen.Constant(true)), (3, Gen.Constant(false))), count)
        select Split(ops, cuts, snapshots);

    private static Op[] FoldTimeline((UInt128 Key, int Ttl, long TickMicros)[] steps)
    {
        var limit = 10 * SecondMicros;
        var ops = new Op[steps.Length];
        for (var i = 0; i < steps.Length; i++)
        {
            var (key, ttl, tick) = steps[i];
            if (tick < 0)
            {
                ops[i] = new Op(true, key, EpochMicros + ((Math.Max(5, (limit / SecondMicros) + ttl)) * SecondMicros));
            }
            else
            {
                limit += tick;
                ops[i] = new Op(false, default, EpochMicros + limit);
            }
        }

        return ops;
    }

    private static Version[] Split(Op[] ops, int[] cuts, bool[] snapshots)
    {
        var bounds = cuts.Append(0).Append(ops.Length).Order().ToArray();
        var versions = new Version[bounds.Length - 1];
        for (var i = 0; i < versions.Length; i++)
        {
            versions[i] = new Version(ops[bounds[i]..bounds[i + 1]], snapshots[i]);
        }

        return versions;
    }

    private static ulong Mix(ulong x)
    {
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return x;
    }

    internal sealed record Op(bool IsAdd, UInt128 Key, long Micros)
    {
        public override string ToString() => IsAdd ? $"add {Key:X} @{(Micros - EpochMicros) / (double)SecondMicros}s" : $"expire <= {(Micros - EpochMicros) / (double)SecondMicros}s";
    }

    internal sealed record Version(Op[] Ops, bool Snapshot)
    {
        public override string ToString() => $"{(Snapshot ? "snapshot" : "delta")} [{string.Join(", ", Ops.AsEnumerable())}]";
    }
}
