namespace Clickstream.Engine.Plan;

/// <summary>The output of an aggregation, with its late rows as a side output.</summary>
/// <typeparam name="TIn">The aggregation's input row type.</typeparam>
/// <typeparam name="TOut">The output row type.</typeparam>
public abstract class AggregatedStream<TIn, TOut> : DataStream<TOut>
{
    private protected AggregatedStream(string name, PlanNode input)
        : base(name, null, input)
    {
    }

    /// <summary>Input rows with at least one group already behind the watermark (each such row once; its groups that were not late still count).</summary>
    public abstract DataStream<TIn> LateRows { get; }
}
