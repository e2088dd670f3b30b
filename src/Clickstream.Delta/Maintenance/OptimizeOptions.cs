using Clickstream.Delta.Parquet;

namespace Clickstream.Delta.Maintenance;

/// <summary>Options of <see cref="Optimize.RunAsync"/>.</summary>
public sealed record OptimizeOptions
{
    /// <summary>No progress; the writer's defaults with the table's <c>delta.dataSkippingNumIndexedCols</c>.</summary>
    public static OptimizeOptions Default { get; } = new();

    /// <summary>Receives a line per compacted day and one after the commit.</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>How the new files are laid out (row groups, dictionary columns); null for the defaults.</summary>
    public DataFileWriterOptions? WriterOptions { get; init; }
}
