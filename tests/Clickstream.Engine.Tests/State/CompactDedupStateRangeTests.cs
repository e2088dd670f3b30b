using Clickstream.Engine.State;
using Clickstream.Engine.Tests.Execution;

namespace Clickstream.Engine.Tests.State;

/// <summary>
/// Expiries far apart (a backfill spanning weeks, a gap in the data) do not fit the table's 32-bit millisecond range
/// above its base; they must still expire exactly when the watermark reaches them, never earlier or later.
/// </summary>
public sealed class CompactDedupStateRangeTests
{
    private const long Hour = 3_600_000_000L;
    private const long Day = 24 * Hour;
    private const long Start = 1_790_000_000_000_000L; // 2026-09-21, micros

    [Fact]
    public void RemoveExpired_KeysWeeksApartInOneBatch_EachExpiresAtItsOwnTime()
    {
        var state = new CompactDedupState();
        var near = Key(1);
        var far = Key(2);
        Assert.True(state.TryAdd(near, Start + Hour));
        Assert.True(state.TryAdd(far, Start + (30 * Day) + Hour));

        Assert.Equal(1, state.RemoveExpired(Start + (30 * Day) - Hour));
        Assert.False(state.TryAdd(far, Start + (30 * Day) + (2 * Hour))); // still a duplicate
        Assert.Equal(1, state.Count);

        Assert.Equal(0, state.RemoveExpired(Start + (30 * Day) + Hour - 1000));
        Assert.Equal(1, state.RemoveExpired(Start + (30 * Day) + Hour));
        Assert.True(state.TryAdd(far, Start + (31 * Day)));
    }

    [Fact]
    public void RemoveExpired_KeyBelowTheFirstBase_ExpiresAsSoonAsTheWatermarkPassesIt()
    {
        var state = new CompactDedupState();
        Assert.True(state.TryAdd(Key(1), Start + (40 * Day)));
        Assert.True(state.TryAdd(Key(2), Start)); // 40 days earlier than the first key: below the first base

        Assert.Equal(1, state.RemoveExpired(Start));
        Assert.True(state.TryAdd(Key(2), Start + Day));
        Assert.False(state.TryAdd(Key(1), Start));
    }

    [Fact]
    public void Load_KeysOutsideTheTableRange_RoundTripExactly()
    {
        using var dir = new TempDirectory("clickstream-compact-range");
        var state = new CompactDedupState();
        state.TryAdd(Key(1), Start + Hour);
        state.TryAdd(Key(2), Start + (60 * Day));
        state.TryAdd(Key(3), Start - (60 * Day));
        state.Commit(dir.Path, 1, snapshot: false);
        state.RemoveExpired(Start);
        state.TryAdd(Key(4), Start + (120 * Day));
        state.Commit(dir.Path, 2, snapshot: false);
        state.Commit(dir.Path, 3, snapshot: true);

        // v1 holds keys 1 (start + 1h), 2 (start + 60d) and 3 (start − 60d); v2 and v3 hold 1, 2 and 4 (start + 120d).
        foreach (var version in new[] { 1L, 2L, 3L })
        {
            var loaded = new CompactDedupState();
            loaded.Load(dir.Path, version);
            Assert.Equal(3, loaded.Count);
            Assert.Equal(version == 1 ? 2 : 1, loaded.RemoveExpired(Start + Hour));
            Assert.Equal(0, loaded.RemoveExpired(Start + (60 * Day) - 1000));
            Assert.Equal(1, loaded.RemoveExpired(Start + (60 * Day)));
            Assert.Equal(version == 1 ? 0 : 1, loaded.RemoveExpired(Start + (120 * Day)));
            Assert.Equal(0, loaded.Count);
        }
    }

    private static UInt128 Key(ulong n) => ((UInt128)(n * 0x9E3779B97F4A7C15UL) << 64) | (n * 0xBF58476D1CE4E5B9UL);
}
