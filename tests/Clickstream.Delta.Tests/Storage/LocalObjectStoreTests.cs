using Clickstream.Delta.Storage;

namespace Clickstream.Delta.Tests.Storage;

public sealed class LocalObjectStoreTests : ObjectStoreContract, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "delta-store-" + Guid.NewGuid().ToString("N"));

    protected override IObjectStore Create()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return new LocalObjectStore(_root);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
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

    [Fact]
    public async Task StreamedWrites_ThatFailOrLose_LeaveNoTemporaryFileBehind()
    {
        var store = new LocalObjectStore(_root);
        await Assert.ThrowsAsync<InvalidDataException>(() => store.WriteIfAbsentAsync("day=1/a.parquet", async (stream, ct) =>
        {
            await stream.WriteAsync(new byte[100_000], ct);
            throw new InvalidDataException("failed");
        }));
        Assert.NotNull(await store.WriteIfAbsentAsync("day=1/b.parquet", (stream, ct) => stream.WriteAsync("b"u8.ToArray(), ct).AsTask()));
        Assert.Null(await store.WriteIfAbsentAsync("day=1/b.parquet", (stream, ct) => stream.WriteAsync("other"u8.ToArray(), ct).AsTask()));
        var files = Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_root, f).Replace('\\', '/'));
        Assert.Equal(["day=1/b.parquet"], files);
    }
}

public sealed class InMemoryObjectStoreTests : ObjectStoreContract
{
    protected override IObjectStore Create() => new InMemoryObjectStore();
}
