using Clickstream.Engine.Sources;

namespace Clickstream.Aws.Kinesis;

/// <summary>Limits and tuning of a <see cref="KinesisSource{T}"/>.</summary>
public sealed record KinesisSourceOptions
{
    /// <summary>At most this many records per shard per batch.</summary>
    public int MaxRecordsPerShard { get; init; } = 100_000;

    /// <summary>About this many record bytes per batch, over all shards (at least one record per shard that has some).</summary>
    public long MaxBytesPerTrigger { get; init; } = 256L << 20;

    /// <summary>How long one batch's planning may keep reading ahead before it settles its end offset.</summary>
    public TimeSpan FetchBudget { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the shard list is read again to find the children of a split or merge.</summary>
    public TimeSpan ShardRefreshInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// With the available-now trigger, records that arrived up to this long after the run started are still read:
    /// arrival times are Kinesis's, and its clock and this machine's differ a little.
    /// </summary>
    public TimeSpan FreezeSkew { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Records per GetRecords call (Kinesis allows up to 10,000 and 10 MB).</summary>
    public int RecordsPerCall { get; init; } = KinesisLimits.MaxRecordsPerGet;
}

/// <summary>
/// A Kinesis data stream as a replayable source, with Spark Structured Streaming's semantics: a batch's end offset
/// names, per shard, the sequence number of its last record, and is in the offsets log before the batch runs, so a
/// re-run (after a crash) reads exactly the same records. Planning reads ahead (GetRecords, at most five calls per
/// second per shard) into memory and settles the end offset on what it fetched; a re-run reads its range from
/// Kinesis again. Records hold NDJSON lines (the collector packs one user's events together); each line goes to
/// the decoder. After a split or merge a child shard is read only from the batch after the one that finished all
/// its parents. Expired iterators are renewed from the last sequence read. Each batch's progress carries
/// <c>millisBehindLatest</c> (max and average over shards).
/// </summary>
/// <typeparam name="T">The row type the decoder produces.</typeparam>
public sealed class KinesisSource<T> : IStreamSource<T>
{
    /// <summary>Creates the source definition.</summary>
    public KinesisSource(KinesisClient client, string stream, Func<ILineDecoder<T>> decoderFactory, KinesisSourceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentNullException.ThrowIfNull(decoderFactory);
        Client = client;
        Stream = stream;
        DecoderFactory = decoderFactory;
        Options = options ?? new KinesisSourceOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxRecordsPerShard);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxBytesPerTrigger);
        Description = $"KinesisSource[{KinesisNames.Scheme}{stream}]";
    }

    /// <summary>The stream's name.</summary>
    public string Stream { get; }

    /// <summary>The source's limits.</summary>
    public KinesisSourceOptions Options { get; }

    /// <inheritdoc />
    public string Description { get; }

    internal KinesisClient Client { get; }

    internal Func<ILineDecoder<T>> DecoderFactory { get; }

    /// <inheritdoc />
    public IStreamSourceReader<T> CreateReader(SourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new KinesisSourceReader<T>(this, context.Time);
    }
}
