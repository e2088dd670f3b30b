using Clickstream.Engine.Checkpointing;

namespace Clickstream.Engine.Sources;

/// <summary>
/// The definition of a replayable source (immutable). Discovery and reading are split: the per-run
/// <see cref="IStreamSourceReader{T}"/> finds what exists and plans splits; each <see cref="ISourceSplit{T}"/>
/// reads one piece of a batch, possibly on another thread.
/// </summary>
/// <typeparam name="T">The row type the source produces.</typeparam>
public interface IStreamSource<T>
{
    /// <summary>A short description for progress reports, e.g. <c>FileSource[/data/landing]</c>.</summary>
    string Description { get; }

    /// <summary>Creates the per-run reader. <paramref name="context"/> gives the source's private checkpoint folder.</summary>
    IStreamSourceReader<T> CreateReader(SourceContext context);
}

/// <summary>The per-run side of a source, owned by the query's driver thread.</summary>
/// <typeparam name="T">The row type the source produces.</typeparam>
public interface IStreamSourceReader<T> : IDisposable
{
    /// <summary>
    /// Returns the end offset the next batch should read to, starting after <paramref name="start"/>
    /// (null: from the beginning), honouring the source's per-trigger limits. Returns <paramref name="start"/>
    /// when there is nothing new. Offsets are JSON text, compared by value.
    /// </summary>
    string? LatestOffset(string? start);

    /// <summary>Splits covering the data after <paramref name="start"/> up to and including <paramref name="end"/>. Must be deterministic: a re-run batch reads the same rows.</summary>
    IReadOnlyList<ISourceSplit<T>> PlanSplits(string? start, string end);

    /// <summary>Everything up to <paramref name="end"/> is processed and committed; the source may forget it.</summary>
    void Commit(string end);

    /// <summary>For the available-now trigger: from now on only what exists at this moment is reported.</summary>
    void FreezeAvailableData();
}

/// <summary>
/// A reader that reports source-specific figures in each batch's progress (Spark's <c>SourceProgress.metrics</c>,
/// e.g. how far a stream reader is behind the tip).
/// </summary>
public interface ISourceMetrics
{
    /// <summary>The figures as of the latest <see cref="IStreamSourceReader{T}.LatestOffset"/> call.</summary>
    IReadOnlyDictionary<string, string> Metrics { get; }
}

/// <summary>One independently readable piece of a batch (a file, a byte range, a shard range).</summary>
/// <typeparam name="T">The row type the source produces.</typeparam>
public interface ISourceSplit<T>
{
    /// <summary>Identifies the split in logs and errors.</summary>
    string Id { get; }

    /// <summary>Size hint used to order work (largest first).</summary>
    long EstimatedBytes { get; }

    /// <summary>Reads every row of the split into <paramref name="output"/>, in split order. Called on a worker thread.</summary>
    void Read(List<T> output, CancellationToken cancellationToken);
}

/// <summary>What a source reader gets from the query: where to keep its own metadata.</summary>
/// <param name="Metadata">The source's folder under the checkpoint (<c>sources/&lt;i&gt;</c>).</param>
/// <param name="Time">The query's clock.</param>
public sealed record SourceContext(CheckpointFolder Metadata, TimeProvider Time);
