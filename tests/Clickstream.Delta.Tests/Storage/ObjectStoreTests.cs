using System.Text;
using Clickstream.Delta.Storage;

namespace Clickstream.Delta.Tests.Storage;

public sealed class ObjectStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "delta-store-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    public static TheoryData<string> Stores => ["local", "memory"];

    private IObjectStore Create(string kind) => kind == "local" ? new LocalObjectStore(_root) : new InMemoryObjectStore();

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task PutIfAbsent_RacingWriters_ExactlyOneWinsAndItsContentIsWhole(string kind)
    {
        var store = Create(kind);
        for (var round = 0; round < 20; round++)
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

        Assert.Equal(20, (await store.ListAsync("_delta_log/")).Count);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task BasicOperations(string kind)
    {
        var store = Create(kind);
        Assert.Null(await store.ReadAsync("a/b.txt"));
        await store.PutAsync("a/b.txt", "one"u8.ToArray());
        await store.PutAsync("a/b.txt", "two"u8.ToArray());
        await store.PutAsync("a/c/d.txt", "x"u8.ToArray());
        await store.PutAsync("z.txt", "x"u8.ToArray());
        Assert.Equal("two"u8.ToArray(), await store.ReadAsync("a/b.txt"));
        Assert.False(await store.PutIfAbsentAsync("a/b.txt", "three"u8.ToArray()));
        Assert.Equal(["a/b.txt", "a/c/d.txt"], (await store.ListAsync("a/")).Select(o => o.Key));
        Assert.Equal(3, (await store.ListAsync("")).Count);
        Assert.True(await store.DeleteAsync("a/c/d.txt"));
        Assert.False(await store.DeleteAsync("a/c/d.txt"));
        Assert.Equal(["a/b.txt"], (await store.ListAsync("a/")).Select(o => o.Key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/abs")]
    [InlineData("a/../b")]
    [InlineData("a//b")]
    [InlineData("a\\b")]
    public async Task BadKeys_AreRefused(string key)
    {
        var store = new LocalObjectStore(_root);
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(key, "x"u8.ToArray()));
    }

    [Fact]
    public async Task LocalStore_HidesTemporaryFilesAndRemovesEmptyFolders()
    {
        var store = new LocalObjectStore(_root);
        Directory.CreateDirectory(Path.Combine(_root, "_delta_log"));
        await File.WriteAllTextAsync(Path.Combine(_root, "_delta_log", ".00000000000000000001.json.abc.tmp"), "partial");
        await store.PutAsync("day=1/f.parquet", "x"u8.ToArray());
        Assert.Equal(["day=1/f.parquet"], (await store.ListAsync("")).Select(o => o.Key));
        await store.DeleteAsync("day=1/f.parquet");
        Assert.False(Directory.Exists(Path.Combine(_root, "day=1")));
        Assert.Equal(Path.Combine(_root, "x", "y"), store.Locate("x/y"));
    }
}
