using Clickstream.Aws;
using Clickstream.Aws.Kinesis;
using Clickstream.Jobs.AwsSetup;
using Clickstream.Jobs.Cli;
using Clickstream.Jobs.Tests.Support;

namespace Clickstream.Jobs.Tests.Aws;

/// <summary><c>clickstream aws init --stream</c> on kinesalite.</summary>
public sealed class AwsInitStreamTests
{
    [Fact]
    public async Task Init_CreatesTheStreamWithItsShards_AndKeepsAnExistingOne()
    {
        AwsTestEnvironment.Ensure();
        var stream = "init-" + Guid.NewGuid().ToString("N")[..12];
        var first = await JobCommands.RunAsync(new AwsCommand(), "init", "--stream", stream, "--shards", "3");
        Assert.Contains($"aws init: stream kinesis://{stream} created (3 shards, 24 h retention)", first, StringComparison.Ordinal);
        var again = await JobCommands.RunAsync(new AwsCommand(), "init", "--stream", stream, "--shards", "5");
        Assert.Contains($"aws init: stream kinesis://{stream} already exists (3 open shards", again, StringComparison.Ordinal);
        using var kinesis = new KinesisClient(AwsSettings.FromEnvironment(), new AwsRetry(TimeProvider.System, TimeSpan.FromSeconds(30)));
        Assert.Equal(3, (await kinesis.ListShardsAsync(stream)).Count);
    }

    [Theory]
    [InlineData("bad/name", "a stream name is 1 to 128")]
    [InlineData("ok", "")]
    public async Task Init_RefusesABadStreamNameOrShardCount(string stream, string reason)
    {
        AwsTestEnvironment.Ensure();
        var e = await Assert.ThrowsAsync<UsageException>(() => JobCommands.RunAsync(new AwsCommand(), "init", "--stream", stream, "--shards", reason.Length == 0 ? "0" : "2"));
        Assert.Contains(reason.Length == 0 ? "--shards" : reason, e.Message, StringComparison.Ordinal);
    }
}
