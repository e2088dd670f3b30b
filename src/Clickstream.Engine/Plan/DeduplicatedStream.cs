namespace Clickstream.Engine.Plan;

/// <summary>The output of a deduplication, with the rows it removed as side outputs.</summary>
/// <typeparam name="T">The row type.</typeparam>
public abstract class DeduplicatedStream<T> : DataStream<T>
{
    private protected DeduplicatedStream(string name, Func<T, long>? eventTime, PlanNode input)
        : base(name, eventTime, input)
    {
    }

    /// <summary>Rows dropped because their key was already in the state.</summary>
    public abstract DataStream<T> Duplicates { get; }

    /// <summary>Rows dropped because they were at or behind the late-row watermark (policy <see cref="LateRowPolicy.Drop"/>).</summary>
    public abstract DataStream<T> LateRows { get; }
}
