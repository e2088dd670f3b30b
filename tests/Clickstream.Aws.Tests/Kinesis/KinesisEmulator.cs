using Clickstream.Aws.Kinesis;
using Clickstream.Aws.Tests.S3;

namespace Clickstream.Aws.Tests.Kinesis;

/// <summary>kinesalite for the Kinesis tests: a client and a fresh, active stream per test.</summary>
internal static class KinesisEmulator
{
    public static KinesisClient Client()
    {
        _ = S3Emulator.Endpoints;
        return new KinesisClient(AwsSettings.FromEnvironment(), S3Emulator.Retry());
    }

    /// <summary>Creates a stream of <paramref name="shards"/> shards with a fresh name and waits until it is active.</summary>
    public static async Task<string> NewStreamAsync(KinesisClient client, int shards)
    {
        var name = "test-" + Guid.NewGuid().ToString("N")[..12];
        Assert.True(await client.CreateStreamAsync(name, shards));
        await client.WaitUntilActiveAsync(name, TimeSpan.FromSeconds(30));
        return name;
    }
}
