using Clickstream.Engine.Sources;

namespace Clickstream.Aws.Kinesis;

/// <summary>
/// One shard's records after <c>after</c> up to and including <c>last</c>: from memory when planning fetched them,
/// else read from Kinesis again (a batch re-run after a restart). Each record's NDJSON lines go to the decoder.
/// </summary>
internal sealed class KinesisSplit<T>(KinesisSource<T> source, string shardId, string? after, string last, List<KinesisRecord>? records) : ISourceSplit<T>
{
    public string Id => $"{source.Description}/{shardId}({after ?? "start"}..{last}]";

    public long EstimatedBytes => records?.Sum(r => (long)r.Data.Length) ?? 1L << 20;

    public void Read(List<T> output, CancellationToken cancellationToken)
    {
        var decoder = source.DecoderFactory();
        foreach (var record in records ?? Replay(cancellationToken))
        {
            Decode(record, decoder, output);
        }
    }

    private void Decode(KinesisRecord record, ILineDecoder<T> decoder, List<T> output)
    {
        var data = record.Data.AsSpan();
        var origin = $"{KinesisNames.Scheme}{source.Stream}/{shardId}/{record.SequenceNumber}";
        var offset = 0;
        while (offset < data.Length)
        {
            var rest = data[offset..];
            var newline = rest.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..newline];
            var start = offset;
            offset += newline < 0 ? rest.Length : newline + 1;
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (!line.Trim(" \t"u8).IsEmpty)
            {
                decoder.Decode(line, new LineContext(origin, start, Truncated: false), output);
            }
        }
    }

    private List<KinesisRecord> Replay(CancellationToken cancellationToken)
    {
        var client = source.Client;
        var result = new List<KinesisRecord>();
        string? iterator = null;
        string? position = after;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            iterator ??= position is null
                ? client.GetShardIteratorAsync(source.Stream, shardId, KinesisIteratorType.TrimHorizon, null, cancellationToken).GetAwaiter().GetResult()
                : client.GetShardIteratorAsync(source.Stream, shardId, KinesisIteratorType.AfterSequenceNumber, position, cancellationToken).GetAwaiter().GetResult();
            KinesisGetResult page;
            try
            {
                page = client.GetRecordsAsync(iterator, source.Options.RecordsPerCall, cancellationToken).GetAwaiter().GetResult();
            }
            catch (AwsCallException e) when (KinesisClient.IsExpiredIterator(e))
            {
                iterator = null;
                continue;
            }

            foreach (var record in page.Records)
            {
                var order = KinesisClient.CompareSequenceNumbers(record.SequenceNumber, last);
                if (order <= 0)
                {
                    result.Add(record);
                    position = record.SequenceNumber;
                }

                if (order >= 0)
                {
                    if (order > 0 || result.Count == 0 || result[^1].SequenceNumber != last)
                    {
                        throw new InvalidDataException($"{Id}: record {last} of the planned batch is not in the shard any more (past the stream's retention?); the batch cannot be read again as planned");
                    }

                    return result;
                }
            }

            if (page.NextShardIterator is null)
            {
                throw new InvalidDataException($"{Id}: the shard ended before record {last} of the planned batch");
            }

            iterator = page.NextShardIterator;
            if (page.Records.Count == 0)
            {
                Thread.Sleep(KinesisSourceReader<T>.CallSpacing);
            }
        }
    }
}
