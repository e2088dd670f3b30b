using System.Text;
using Clickstream.Delta.Storage;
using Clickstream.Delta.Table;

namespace Clickstream.Delta.Tests.Golden;

/// <summary>
/// Logs a reader must refuse, written here in the shape of the protocol's must-fail golden tables
/// (versions-not-contiguous, invalid protocol version, state without metadata or protocol, no log folder).
/// </summary>
public sealed class MustFailLogTests
{
    private const string Protocol = """{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}""";
    private const string Metadata = """{"metaData":{"id":"t","format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}","partitionColumns":[],"configuration":{}}}""";
    private const string Add = """{"add":{"path":"f1","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true}}""";

    [Theory]
    [InlineData("no protocol", "protocol", Metadata, Add)]
    [InlineData("no metadata", "metaData", Protocol, Add)]
    [InlineData("reader 99", "reader version 99", """{"protocol":{"minReaderVersion":99,"minWriterVersion":7}}""", Metadata)]
    public async Task BadState_FailsWithAClearMessage(string _, string expected, string line1, string line2)
    {
        var store = new InMemoryObjectStore();
        await store.PutAsync("_delta_log/00000000000000000000.json", Encoding.UTF8.GetBytes(line1 + "\n" + line2 + "\n"));
        var e = await Assert.ThrowsAnyAsync<DeltaFormatException>(() => DeltaTable.Open(store, "t").GetSnapshotAsync());
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionsNotContiguous_Fail()
    {
        var store = new InMemoryObjectStore();
        await store.PutAsync("_delta_log/00000000000000000000.json", Encoding.UTF8.GetBytes(Protocol + "\n" + Metadata + "\n"));
        await store.PutAsync("_delta_log/00000000000000000002.json", Encoding.UTF8.GetBytes(Add + "\n"));
        var e = await Assert.ThrowsAsync<DeltaFormatException>(() => DeltaTable.Open(store, "t").GetSnapshotAsync());
        Assert.Contains("missing commit 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoLogFolder_IsNotATable() =>
        await Assert.ThrowsAsync<DeltaTableNotFoundException>(() => DeltaTable.Open(new InMemoryObjectStore(), "t").GetSnapshotAsync());

    [Fact]
    public async Task MissingFinalNewlineAndUnknownActions_AreAccepted()
    {
        var store = new InMemoryObjectStore();
        await store.PutAsync("_delta_log/00000000000000000000.json", Encoding.UTF8.GetBytes(Protocol + "\n" + Metadata + "\n{\"futureAction\":{\"x\":1}}\n" + Add));
        var snapshot = await DeltaTable.Open(store, "t").GetSnapshotAsync();
        Assert.Equal("f1", Assert.Single(snapshot.Files).Path);
    }

    [Fact]
    public async Task MalformedJson_NamesTheFileAndLine()
    {
        var store = new InMemoryObjectStore();
        await store.PutAsync("_delta_log/00000000000000000000.json", Encoding.UTF8.GetBytes(Protocol + "\n{broken\n"));
        var e = await Assert.ThrowsAsync<DeltaFormatException>(() => DeltaTable.Open(store, "t").GetSnapshotAsync());
        Assert.Contains("00000000000000000000.json:2", e.Message, StringComparison.Ordinal);
    }
}
