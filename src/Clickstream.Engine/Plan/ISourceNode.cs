using Clickstream.Engine.Sources;

namespace Clickstream.Engine.Plan;

/// <summary>The untyped view of a source node the executor needs.</summary>
internal interface ISourceNode
{
    string Description { get; }

    ISourceRuntime CreateSourceRuntime(SourceContext context);
}

/// <summary>The untyped view of a source's per-run object: discovery, planning and parallel split reads.</summary>
internal interface ISourceRuntime : IDisposable
{
    long RowsRead { get; }

    /// <summary>The reader's own figures (<see cref="ISourceMetrics"/>), or null.</summary>
    IReadOnlyDictionary<string, string>? Metrics { get; }

    string? LatestOffset(string? start);

    /// <summary>Plans the batch's splits; returns how many there are.</summary>
    int Plan(string? start, string? end);

    long SplitBytes(int index);

    /// <summary>Reads one split (worker thread); results are kept in split order.</summary>
    void ReadSplit(int index, CancellationToken cancellationToken);

    void Commit(string end);

    void Freeze();
}
