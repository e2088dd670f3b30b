using Clickstream.Aws.Kinesis;

namespace Clickstream.Tests.Shared;

/// <summary>Reads a whole Kinesis stream back (every shard from its start), for assertions.</summary>
internal static class KinesisReader
{
    public static async Task<List<KinesisRecord>> ReadAllAsync(KinesisClient client, string stream)
    {
        var all = new List<KinesisRecord>();
        foreach (var shard in await client.ListShardsAsync(stream))
        {
            var iterator = await client.GetShardIteratorAsync(stream, shard.ShardId, KinesisIteratorType.TrimHorizon);
            while (iterator is not null)
            {
                var page = await client.GetRecordsAsync(iterator);
                all.AddRange(page.Records);
                if (page.Records.Count == 0 && (page.MillisBehindLatest == 0 || page.NextShardIterator is null))
                {
                    break;
                }

                iterator = page.NextShardIterator;
            }
        }

        return all;
    }
}
