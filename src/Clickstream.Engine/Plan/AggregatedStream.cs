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

    /// <summary>Input rows dropped because a group they belong to was already behind the watermark (one entry per late group membership).</summary>
    public abstract DataStream<TIn> LateRows { get; }
}
