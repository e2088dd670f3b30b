using Clickstream.Engine.State;
using Clickstream.Engine.Tests.Execution;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Clickstream.Engine.Tests.State;

public sealed class StateVersionsTests
{
    [Property(MaxTest = 30)]
    public Property Purge_AfterEverySnapshot_KeepsEveryVersionWithinRetentionLoadable() =>
        Prop.ForAll(Histories().ToArbitrary(), h =>
        {
            using var dir = new TempDirectory("clickstream-versions");
            var state = new KeyValueState<long, long>(KeyCodecs.Int64, ValueCodecs.Int64);
            var expected = new List<Dictionary<long, long>> { new() };
            var model = new Dictionary<long, long>();
            for (var v = 1; v <= h.Versions; v++)
            {
                // Each version changes a few keys, so every delta matters.
                state.Put(v % 7, v);
                model[v % 7] = v;
                if (v % 5 == 0 && state.Remove((v + 3) % 7))
                {
                    model.Remove((v + 3) % 7);
                }

                var snapshot = v % h.SnapshotInterval == 0;
                state.Commit(dir.Path, v, snapshot);
                expected.Add(new Dictionary<long, long>(model));

                // As the operators do: purge when a snapshot was written (the only time files go away).
                if (!snapshot && v < h.Versions)
                {
                    continue;
                }

                if (snapshot)
                {
                    StateVersions.Purge(dir.Path, v, h.Retain);
                }

                for (var old = Math.Max(0, v - h.Retain); old <= v; old++)
                {
                    var loaded = new KeyValueState<long, long>(KeyCodecs.Int64, ValueCodecs.Int64);
                    loaded.Load(dir.Path, old);
                    Assert.True(expected[old].OrderBy(kv => kv.Key).SequenceEqual(loaded.Rows.OrderBy(kv => kv.Key)), $"version {old} after committing {v}");
                }
            }
        });

    [Fact]
    public void Purge_SnapshotOldEnough_DeletesOnlyFilesOlderThanIt()
    {
        using var dir = new TempDirectory("clickstream-versions");
        var state = new KeyValueState<long, long>(KeyCodecs.Int64, ValueCodecs.Int64);
        for (var v = 1; v <= 25; v++)
        {
            state.Put(v, v);
            state.Commit(dir.Path, v, snapshot: v % 10 == 0);
        }

        StateVersions.Purge(dir.Path, 25, retain: 12);

        // Newest snapshot at or below 25 − 12 = 13 is 10: everything before version 10 goes. A version is written
        // either as a delta or as a snapshot, never both.
        var names = Directory.EnumerateFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var expected = Enumerable.Range(10, 16).Select(v => v % 10 == 0 ? $"{v}.snapshot" : $"{v}.delta");
        Assert.Equal(expected.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public void Purge_NoSnapshotOldEnough_DeletesNothing()
    {
        using var dir = new TempDirectory("clickstream-versions");
        var state = new KeyValueState<long, long>(KeyCodecs.Int64, ValueCodecs.Int64);
        for (var v = 1; v <= 15; v++)
        {
            state.Put(v, v);
            state.Commit(dir.Path, v, snapshot: v == 10);
        }

        StateVersions.Purge(dir.Path, 15, retain: 100);

        Assert.Equal(15, Directory.EnumerateFiles(dir.Path).Count());
    }

    [Fact]
    public void Plan_SnapshotAndLaterDeltas_StartsFromTheNewestSnapshotAtOrBelowTheVersion()
    {
        using var dir = new TempDirectory("clickstream-versions");
        var state = new KeyValueState<long, long>(KeyCodecs.Int64, ValueCodecs.Int64);
        for (var v = 1; v <= 23; v++)
        {
            state.Put(v, v);
            state.Commit(dir.Path, v, snapshot: v % 10 == 0);
        }

        var (snapshot, deltas) = StateVersions.Plan(dir.Path, 13);

        Assert.Equal(10, snapshot);
        Assert.Equal([11L, 12, 13], deltas);

        var (none, noDeltas) = StateVersions.Plan(dir.Path, 0);
        Assert.Equal(0, none);
        Assert.Empty(noDeltas);
    }

    private static Gen<History> Histories() =>
        from versions in Gen.Choose(1, 60)
        from interval in Gen.Choose(1, 12)
        from retain in Gen.Choose(0, 25)
        select new History(versions, interval, retain);

    private sealed record History(int Versions, int SnapshotInterval, int Retain);
}
