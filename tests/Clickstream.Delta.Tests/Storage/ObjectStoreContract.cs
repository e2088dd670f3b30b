using System.Text;
using Clickstream.Delta.Log;
using Clickstream.Delta.Storage;
using Clickstream.Delta.Table;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Tests.Storage;

/// <summary>
/// What every <see cref="IObjectStore"/> must do for a Delta table: run on the local folder, on memory and on S3
/// (the S3 suite lives with the AWS tests and links this file). Each test gets a fresh, empty store.
/// </summary>
public abstract class ObjectStoreContract
{
    /// <summary>A fresh, empty store.</summary>
    protected abstract IObjectStore Create();

    [Fact]
    public async Task PutIfAbsent_RacingWriters_ExactlyOneWinsAndItsContentIsWhole()
    {
        var store = Create();
        for (var round = 0; round < 10; round++)
        {
            var key = $"_delta_log/{round:D20}.json";
            var contents = Enumerable.Range(0, 8).Select(w => Encoding.UTF8.GetBytes(new string((char)('a' + w), 50_000))).ToArray();
            using var start = new ManualResetEventSlim();
            var tasks = contents.Select(c => Task.Run(async () =>
            {
                start.Wait();
                return await store.PutIfAbsentAsync(key, c);
            })).ToArray();
            start.Set();
            var results = await Task.WhenAll(tasks);
            var winner = Assert.Single(results.Select((won, i) => (won, i)), r => r.won);
            Assert.Equal(contents[winner.i], await store.ReadAsync(key));
        }

        Assert.Equal(10, (await store.ListAsync("_delta_log/")).Count);
    }

    [Fact]
    public async Task BasicOperations()
    {
        var store = Create();
        Assert.Null(await store.ReadAsync("a/b.txt"));
        await store.PutAsync("a/b.txt", "one"u8.ToArray());
        await store.PutAsync("a/b.txt", "two"u8.ToArray());
        await store.PutAsync("a/c/d.txt", "x"u8.ToArray());
        await store.PutAsync("z.txt", "x"u8.ToArray());
        Assert.Equal("two"u8.ToArray(), await store.ReadAsync("a/b.txt"));
        Assert.False(await store.PutIfAbsentAsync("a/b.txt", "three"u8.ToArray()));
        Assert.Equal("two"u8.ToArray(), await store.ReadAsync("a/b.txt"));
        Assert.Equal(["a/b.txt", "a/c/d.txt"], (await store.ListAsync("a/")).Select(o => o.Key));
        Assert.Equal(3, (await store.ListAsync("")).Count);
        Assert.Equal(3, (await store.ListAsync("a/b.txt")).Single().Size);
        Assert.True(await store.DeleteAsync("a/c/d.txt"));
        Assert.False(await store.DeleteAsync("a/c/d.txt"));
        Assert.Equal(["a/b.txt"], (await store.ListAsync("a/")).Select(o => o.Key));
    }

    [Fact]
    public async Task List_PagesThroughManyKeysInOrder()
    {
        var store = Create();
        var keys = Enumerable.Range(0, 1_100).Select(i => $"_delta_log/{i:D20}.json").ToArray();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (key, ct) => await store.PutAsync(key, "{}"u8.ToArray(), ct));
        await store.PutAsync("_delta_log/_last_checkpoint", "{}"u8.ToArray());
        await store.PutAsync("part-0.parquet", "x"u8.ToArray());
        var listed = (await store.ListAsync("_delta_log/0")).Select(o => o.Key).ToArray();
        Assert.Equal(keys, listed);
    }

    [Fact]
    public async Task BinaryContent_RoundTripsByteExact()
    {
        var store = Create();
        var content = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(content);
        await store.PutAsync("day=2026-12-07/part-00000.snappy.parquet", content);
        Assert.Equal(content, await store.ReadAsync("day=2026-12-07/part-00000.snappy.parquet"));
        Assert.True(await store.PutIfAbsentAsync("blob", content));
        Assert.Equal(content, await store.ReadAsync("blob"));
    }

    [Fact]
    public async Task WriteIfAbsent_StreamsByteExactInSmallWrites_AndReturnsTheSize()
    {
        var store = Create();
        var content = Content(LargeObjectSize, seed: 3);
        Assert.Equal(content.Length, await store.WriteIfAbsentAsync("day=2026-12-07/part-0.parquet", (stream, ct) => WriteInChunksAsync(stream, content, ct)));
        Assert.Equal(content, await store.ReadAsync("day=2026-12-07/part-0.parquet"));
        Assert.Equal(content.Length, (await store.ListAsync("day=")).Single().Size);

        var small = "tiny"u8.ToArray();
        Assert.Equal(small.Length, await store.WriteIfAbsentAsync("tiny", (stream, ct) => stream.WriteAsync(small, ct).AsTask()));
        Assert.Equal(small, await store.ReadAsync("tiny"));
    }

    [Fact]
    public async Task WriteIfAbsent_OnAnExistingKey_StoresNothingAndKeepsTheFirst()
    {
        var store = Create();
        var first = Content(LargeObjectSize, seed: 4);
        var second = Content(LargeObjectSize, seed: 5);
        Assert.NotNull(await store.WriteIfAbsentAsync("blob", (stream, ct) => WriteInChunksAsync(stream, first, ct)));
        Assert.Null(await store.WriteIfAbsentAsync("blob", (stream, ct) => WriteInChunksAsync(stream, second, ct)));
        Assert.Equal(first, await store.ReadAsync("blob"));
        Assert.Equal(["blob"], (await store.ListAsync("")).Select(o => o.Key));
    }

    [Fact]
    public async Task WriteIfAbsent_AWriterThatThrows_StoresNothing()
    {
        var store = Create();
        var content = Content(LargeObjectSize, seed: 6);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => store.WriteIfAbsentAsync("blob", async (stream, ct) =>
        {
            await WriteInChunksAsync(stream, content, ct);
            throw new InvalidDataException("the writer failed half way");
        }));
        Assert.Equal("the writer failed half way", e.Message);
        Assert.Null(await store.ReadAsync("blob"));
        Assert.Empty(await store.ListAsync(""));

        // The key is still free for a writer that succeeds.
        Assert.Equal(3, await store.WriteIfAbsentAsync("blob", (stream, ct) => stream.WriteAsync("abc"u8.ToArray(), ct).AsTask()));
    }

    [Fact]
    public async Task WriteIfAbsent_RacingWriters_ExactlyOneWinsAndItsContentIsWhole()
    {
        var store = Create();
        var contents = Enumerable.Range(0, 4).Select(w => Content(1024 * 1024, seed: 10 + w)).ToArray();
        using var start = new ManualResetEventSlim();
        var tasks = contents.Select(c => Task.Run(async () =>
        {
            start.Wait();
            return await store.WriteIfAbsentAsync("raced", (stream, ct) => WriteInChunksAsync(stream, c, ct));
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(tasks);
        var winner = Assert.Single(results.Select((size, i) => (size, i)), r => r.size is not null);
        Assert.Equal(contents[winner.i].Length, winner.size);
        Assert.Equal(contents[winner.i], await store.ReadAsync("raced"));
    }

    [Fact]
    public async Task EightRacingDeltaWriters_EveryAppendCommitsOnceAtItsOwnVersion()
    {
        var table = DeltaTable.Open(Create(), "racing");
        await table.CreateIfAbsentAsync(Schema, ["day"]);
        using var start = new ManualResetEventSlim();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            start.Wait();
            var versions = new List<long>();
            for (var i = 0; i < 3; i++)
            {
                var txn = table.StartTransaction(await table.GetSnapshotAsync());
                txn.Add(AddFile("2026-12-07", $"part-{w}-{i}.parquet"));
                versions.Add((await txn.CommitAsync()).Version);
            }

            return versions;
        })).ToArray();
        start.Set();
        var all = (await Task.WhenAll(writers)).SelectMany(v => v).Order().ToArray();
        Assert.Equal(Enumerable.Range(1, 24).Select(v => (long)v), all);
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(24, snapshot.Version);
        Assert.Equal(24, snapshot.FileCount);
    }

    /// <summary>The size of the objects the streamed-write tests use (S3 raises it to span several parts).</summary>
    protected virtual int LargeObjectSize => (3 * 1024 * 1024) + 17;

    internal static byte[] Content(int length, int seed)
    {
        var content = new byte[length];
        new Random(seed).NextBytes(content);
        return content;
    }

    /// <summary>Writes as a Parquet writer does: many small writes, synchronous and asynchronous mixed.</summary>
    internal static async Task WriteInChunksAsync(Stream stream, byte[] content, CancellationToken cancellationToken)
    {
        var chunk = 0;
        for (var offset = 0; offset < content.Length; chunk++)
        {
            var n = Math.Min(content.Length - offset, 40_000 + (chunk % 7 * 9_973));
            if (chunk % 3 == 0)
            {
                stream.Write(content, offset, n);
            }
            else
            {
                await stream.WriteAsync(content.AsMemory(offset, n), cancellationToken);
            }

            offset += n;
        }

        await stream.FlushAsync(cancellationToken);
    }

    internal static readonly StructType Schema = new([
        new StructField("id", PrimitiveType.Long),
        new StructField("day", PrimitiveType.Date),
    ]);

    internal static AddAction AddFile(string day, string name) =>
        new(
            DeltaPaths.ToUriPath(DeltaPaths.PartitionDirectory("day", day) + "/" + name),
            new Dictionary<string, string?> { ["day"] = day },
            100,
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            true,
            "{\"numRecords\":1}");
}
