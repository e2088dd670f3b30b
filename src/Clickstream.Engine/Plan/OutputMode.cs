namespace Clickstream.Engine.Plan;

/// <summary>What a stateful aggregation writes to the sink each batch (Spark's output modes).</summary>
public enum OutputMode
{
    /// <summary>Only final rows, once, when the watermark passes them (needs a watermark).</summary>
    Append,

    /// <summary>Rows that changed in this batch.</summary>
    Update,

    /// <summary>The whole result table every batch; state is never dropped.</summary>
    Complete,
}
