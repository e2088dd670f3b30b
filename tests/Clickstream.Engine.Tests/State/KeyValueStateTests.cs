using Clickstream.Engine.State;
using Clickstream.Engine.Tests.Execution;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Clickstream.Engine.Tests.State;

public sealed class KeyValueStateTests
{
    [Property(MaxTest = 40)]
    public Property Load_AnyCommittedVersion_EqualsTheModelAtThatVersion() =>
        Prop.ForAll(Batches().ToArbitrary(), batches =>
        {
            using var dir = new TempDirectory("clickstream-kv");
            var state = NewState();
            var model = new Dictionary<string, long>(StringComparer.Ordinal);
            var expected = new List<Dictionary<string, long>> { new(StringComparer.Ordinal) };
            for (var v = 0; v < batches.Length; v++)
            {
                foreach (var (key, value) in batches[v].Ops)
                {
                    if (value is { } x)
                    {
                        state.Put(key, x);
                        model[key] = x;
                    }
                    else
                    {
                        Assert.Equal(model.Remove(key), state.Remove(key));
                    }
                }

                state.Commit(dir.Path, v + 1, batches[v].Snapshot);
                expected.Add(new Dictionary<string, long>(model, StringComparer.Ordinal));
            }

            for (var v = 0; v < expected.Count; v++)
            {
                var loaded = NewState();
                loaded.Load(dir.Path, v);
                Assert.Equal(expected[v].OrderBy(kv => kv.Key, StringComparer.Ordinal), loaded.Rows.OrderBy(kv => kv.Key, StringComparer.Ordinal));
            }
        });

    [Fact]
    public void Commit_PutRemovePutInOneBatch_LoadsTheLastValue()
    {
        using var dir = new TempDirectory("clickstream-kv");
        var state = NewState();
        state.Put("a", 1);
        state.Remove("a");
        state.Put("a", 2);
        state.Commit(dir.Path, 1, snapshot: false);

        var loaded = NewState();
        loaded.Load(dir.Path, 1);

        Assert.True(loaded.TryGet("a", out var value));
        Assert.Equal(2, value);
        Assert.Equal(1, loaded.Count);
    }

    [Fact]
    public void Commit_PutThenRemoveInOneBatch_LoadsWithoutTheKey()
    {
        using var dir = new TempDirectory("clickstream-kv");
        var state = NewState();
        state.Put("keep", 7);
        state.Put("a", 1);
        state.Put("a", 3);
        state.Remove("a");
        state.Commit(dir.Path, 1, snapshot: false);

        var loaded = NewState();
        loaded.Load(dir.Path, 1);

        Assert.False(loaded.TryGet("a", out _));
        Assert.Equal([KeyValuePair.Create("keep", 7L)], loaded.Rows);
    }

    [Fact]
    public void Commit_RemoveAndPutAgainAKeyOfAnEarlierVersion_LoadsTheNewValue()
    {
        using var dir = new TempDirectory("clickstream-kv");
        var state = NewState();
        state.Put("a", 1);
        state.Put("b", 1);
        state.Commit(dir.Path, 1, snapshot: false);
        state.Remove("a");
        state.Put("a", 5);
        state.Remove("b");
        state.Commit(dir.Path, 2, snapshot: false);

        var loaded = NewState();
        loaded.Load(dir.Path, 2);

        Assert.Equal([KeyValuePair.Create("a", 5L)], loaded.Rows);
    }

    [Fact]
    public void Load_MissingDeltaInTheChain_ThrowsNamingFolderAndVersion()
    {
        using var dir = new TempDirectory("clickstream-kv");
        var state = NewState();
        for (var v = 1; v <= 5; v++)
        {
            state.Put("k" + v, v);
            state.Commit(dir.Path, v, snapshot: false);
        }

        File.Delete(Path.Combine(dir.Path, "3.delta"));

        var e = Assert.Throws<InvalidDataException>(() => NewState().Load(dir.Path, 5));
        Assert.Contains("missing version 3", e.Message, StringComparison.Ordinal);
        Assert.Contains(dir.Path, e.Message, StringComparison.Ordinal);

        // Versions before the gap still load.
        var early = NewState();
        early.Load(dir.Path, 2);
        Assert.Equal(2, early.Count);
    }

    [Fact]
    public void Load_VersionNeverWritten_ThrowsInsteadOfReturningOlderState()
    {
        using var dir = new TempDirectory("clickstream-kv");
        var state = NewState();
        state.Put("a", 1);
        state.Commit(dir.Path, 1, snapshot: false);

        var e = Assert.Throws<InvalidDataException>(() => NewState().Load(dir.Path, 2));
        Assert.Contains("missing version 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SnapshotBridgesAMissingOlderDelta_LoadsFromTheSnapshot()
    {
        using var dir = new TempDirectory("clickstream-kv");
        var state = NewState();
        for (var v = 1; v <= 6; v++)
        {
            state.Put("k" + v, v);
            state.Commit(dir.Path, v, snapshot: v == 4);
        }

        File.Delete(Path.Combine(dir.Path, "2.delta"));
        var loaded = NewState();
        loaded.Load(dir.Path, 6);

        Assert.Equal(6, loaded.Count);
    }

    [Fact]
    public void Load_LeftoverTemporaryFile_IsIgnored()
    {
        using var dir = new TempDirectory("clickstream-kv");
        var state = NewState();
        state.Put("a", 1);
        state.Commit(dir.Path, 1, snapshot: false);
        File.WriteAllText(Path.Combine(dir.Path, "2.delta.tmp"), "half a file");

        var loaded = NewState();
        loaded.Load(dir.Path, 1);

        Assert.Equal(1, loaded.Count);
    }

    [Fact]
    public void Load_CorruptDelta_ThrowsChecksumError()
    {
        using var dir = new TempDirectory("clickstream-kv");
        var state = NewState();
        state.Put("abcdef", 1);
        state.Commit(dir.Path, 1, snapshot: false);
        var path = Path.Combine(dir.Path, "1.delta");
        var bytes = File.ReadAllBytes(path);
        bytes[8] ^= 0x20;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => NewState().Load(dir.Path, 1));
        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);
    }

    private static KeyValueState<string, long> NewState() => new(TestCodecs.String, ValueCodecs.Int64);

    private static Gen<Batch[]> Batches() =>
        from count in Gen.Choose(1, 30)
        from batches in Gen.ArrayOf(
            from n in Gen.Choose(0, 25)
            from ops in Gen.ArrayOf(
                from k in Gen.Choose(0, 30)
                from put in Gen.Frequency((2, Gen.Constant(true)), (1, Gen.Constant(false)))
                from value in Gen.Choose(int.MinValue, int.MaxValue)
                select ("key" + k, put ? (long?)value * 3 : null),
                n)
            from snapshot in Gen.Frequency((1, Gen.Constant(true)), (5, Gen.Constant(false)))
            select new Batch(ops, snapshot),
            count)
        select batches;

    private sealed record Batch((string Key, long? Value)[] Ops, bool Snapshot)
    {
        public override string ToString() =>
            (Snapshot ? "snapshot " : "delta ") + string.Join(", ", Ops.Select(o => o.Value is { } v ? $"{o.Key}={v}" : $"-{o.Key}"));
    }
}
