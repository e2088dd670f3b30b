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

/// <summary>Puts NDJSON lines into a stream as the collector does (packed by user), for the tests that read it back.</summary>
internal static class KinesisWriter
{
    public static async Task PutLinesAsync(KinesisClient client, string stream, IReadOnlyList<byte[]> lines, int linesPerBatch = 100)
    {
        await using var producer = new KinesisLineProducer(client, stream);
        await Task.WhenAll(lines.Chunk(linesPerBatch).Select(chunk => producer.PutAsync(chunk.SelectMany(l => l.Append((byte)'\n')).ToArray())));
    }
}
