namespace Clickstream.Engine.Tests.Execution;

/// <summary>
/// A <c>foreachBatch</c> body that records every delivery (batch id and rows, in delivery order) and can fail a
/// chosen delivery once, the way a sink fails halfway through a batch.
/// </summary>
internal sealed class BatchRecorder<T>
{
    public List<(long BatchId, List<T> Rows)> Deliveries { get; } = [];

    /// <summary>When set, the next delivery of this batch id throws <see cref="InjectedFailure"/> (once) instead of being recorded.</summary>
    public long? FailBatch { get; set; }

    /// <summary>When set, the next delivery of any batch throws (once).</summary>
    public bool FailNext { get; set; }

    public List<long> BatchIds => [.. Deliveries.Select(d => d.BatchId)];

    public List<T> RowsOf(long batchId) => Deliveries.Last(d => d.BatchId == batchId).Rows;

    /// <summary>The rows of the latest delivery.</summary>
    public List<T> LastRows => Deliveries[^1].Rows;

    public void Deliver(long batchId, IReadOnlyList<T> rows)
    {
        if (FailNext || FailBatch == batchId)
        {
            FailNext = false;
            FailBatch = null;
            throw new InjectedFailure($"sink failed on batch {batchId}");
        }

        Deliveries.Add((batchId, [.. rows]));
    }
}

/// <summary>The failure a test injects into a sink.</summary>
internal sealed class InjectedFailure(string message) : Exception(message);
