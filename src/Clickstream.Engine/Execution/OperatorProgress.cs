namespace Clickstream.Engine.Execution;

/// <summary>One stateful operator's figures for a batch (Spark's <c>StateOperatorProgress</c>).</summary>
public sealed record OperatorProgress(
    string OperatorName,
    long NumRowsTotal,
    long NumRowsUpdated,
    long NumRowsRemoved,
    long NumRowsDroppedByWatermark,
    long MemoryUsedBytes,
    int NumShufflePartitions)
{
    internal static OperatorProgress Empty { get; } = new(string.Empty, 0, 0, 0, 0, 0, 0);
}
