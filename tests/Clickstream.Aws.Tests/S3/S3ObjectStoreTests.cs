using Amazon.S3;
using Clickstream.Aws.S3;
using Clickstream.Delta.Storage;
using Clickstream.Delta.Table;
using Clickstream.Delta.Tests.Storage;

namespace Clickstream.Aws.Tests.S3;

/// <summary>The Delta object-store contract on S3 (s3rver-plus), plus what only S3 has: 409s, parts, the URI.</summary>
public sealed class S3ObjectStoreTests : ObjectStoreContract, IDisposable
{
    private readonly IAmazonS3 _s3 = S3Emulator.Client();

    protected override IObjectStore Create() => S3Emulator.Store(_s3);

    public void Dispose() => _s3.Dispose();

    /// <summary>Past two full parts, so streamed writes go up as multipart uploads with a short last part.</summary>
    protected override int LargeObjectSize => (2 * S3ObjectStore.PartSize) + (5 * 1024 * 1024) + 11;

    [Fact]
    public async Task ConditionalRequestConflict_IsRetriedAndTheCommitsLand()
    {
        var store = S3Emulator.Store(_s3, S3Emulator.Endpoints.ConflictPrefix);
        var table = DeltaTable.Open(store, "conflicts");
        await table.CreateIfAbsentAsync(Schema, ["day"]);
        for (var i = 0; i < 3; i++)
        {
            var txn = table.StartTransaction(await table.GetSnapshotAsync());
            txn.Add(AddFile("2026-12-07", $"part-{i}.parquet"));
            Assert.Equal(i + 1, (await txn.CommitAsync()).Version);
        }

        // Every commit (versions 0 to 3) met one 409 first.
        Assert.True(store.Retries >= 4, $"retries: {store.Retries}");
        Assert.Equal(3, (await table.GetSnapshotAsync()).FileCount);
    }

    [Fact]
    public async Task ConditionalRequestConflict_OnAStreamedDataFile_IsRetriedAndItLandsWhole()
    {
        var store = S3Emulator.Store(_s3, S3Emulator.Endpoints.ConflictPrefix);
        var large = Content(LargeObjectSize, seed: 21);
        var small = Content(100_000, seed: 22);

        // Each key's first conditional write (CompleteMultipartUpload, then a single PUT) answers 409.
        Assert.Equal(large.Length, await store.WriteIfAbsentAsync("t/day=1/big.parquet", (stream, ct) => WriteInChunksAsync(stream, large, ct)));
        Assert.Equal(small.Length, await store.WriteIfAbsentAsync("t/day=1/small.parquet", (stream, ct) => WriteInChunksAsync(stream, small, ct)));
        Assert.True(store.Retries >= 2, $"retries: {store.Retries}");
        Assert.Equal(large, await store.ReadAsync("t/day=1/big.parquet"));
        Assert.Equal(small, await store.ReadAsync("t/day=1/small.parquet"));
        Assert.Null(await store.WriteIfAbsentAsync("t/day=1/big.parquet", (stream, ct) => WriteInChunksAsync(stream, small, ct)));
    }

    [Fact]
    public async Task LargeObjects_GoUpInPartsByteExact_AndAConditionalOneLosesCleanly()
    {
        var store = S3Emulator.Store(_s3);
        var content = new byte[(3 * S3ObjectStore.PartSize) + (3 * 1024 * 1024)];
        new Random(11).NextBytes(content);
        Assert.True(await store.PutIfAbsentAsync("big.parquet", content));
        Assert.Equal(content, await store.ReadAsync("big.parquet"));
        var other = (byte[])content.Clone();
        other[0] ^= 0xFF;
        Assert.False(await store.PutIfAbsentAsync("big.parquet", other));
        Assert.Equal(content, await store.ReadAsync("big.parquet"));
        Assert.Equal(["big.parquet"], (await store.ListAsync("")).Select(o => o.Key));
    }

    [Fact]
    public void Locate_NamesTheObjectAsAnS3Uri()
    {
        var store = new S3ObjectStore(_s3, S3Uri.Parse("s3://lake-bucket/raw/events/"), S3Emulator.Retry());
        Assert.Equal("s3://lake-bucket/raw/events/_delta_log/00000000000000000000.json", store.Locate("_delta_log/00000000000000000000.json"));
    }

    [Fact]
    public async Task MissingBucket_FailsWithTheServicesReason()
    {
        var store = new S3ObjectStore(_s3, S3Uri.Parse("s3://no-such-bucket-" + Guid.NewGuid().ToString("N")[..8]), S3Emulator.Retry());
        var e = await Assert.ThrowsAsync<AwsCallException>(() => store.PutAsync("a", "x"u8.ToArray()));
        Assert.Contains("NoSuchBucket", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://ab", "3 to 63")]
    [InlineData("s3://Upper-Case", "lowercase")]
    [InlineData("s3://a..b/c", "adjacent dots")]
    [InlineData("s3://10.0.0.1/x", "IP address")]
    [InlineData("s3://bucket/a//b", "empty path segment")]
    [InlineData("http://bucket/a", "not an s3://")]
    public void BadUris_AreRefusedWithTheReason(string text, string reason)
    {
        var e = Assert.Throws<AwsLocationException>(() => S3Uri.Parse(text));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Uris_ParseAndNameChildren()
    {
        var root = S3Uri.Parse("s3://lake-bucket/raw/");
        Assert.Equal("raw", root.Prefix);
        Assert.Equal("s3://lake-bucket/raw/events", root.Child("events").ToString());
        Assert.Equal("s3://lake-bucket", S3Uri.Parse("s3://lake-bucket").ToString());
        Assert.Equal("x/y", S3Uri.Parse("s3://lake-bucket").Key("x/y"));
    }
}
