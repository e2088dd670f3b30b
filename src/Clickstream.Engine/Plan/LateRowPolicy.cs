namespace Clickstream.Engine.Plan;

/// <summary>What a stateful operator does with input rows at or behind the late-row watermark.</summary>
public enum LateRowPolicy
{
    /// <summary>Spark's behaviour: dropped before the operator sees them, counted in <c>numRowsDroppedByWatermark</c> and sent to the operator's late side output.</summary>
    Drop,

    /// <summary>Processed like any other row. For deduplication: late rows are still checked against (and added to) the state, so a job can keep late events while removing their duplicates.</summary>
    Keep,
}
