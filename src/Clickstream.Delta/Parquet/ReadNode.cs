namespace Clickstream.Delta.Parquet;

/// <summary>
/// One node of a Delta column being assembled from Parquet leaf columns (Dremel record assembly). Every node
/// consumes exactly one instance of itself per <see cref="Read"/>, from all the leaves below it.
/// </summary>
internal abstract class ReadNode(IReadOnlyList<LeafColumn> leaves, int instanceRepetition)
{
    /// <summary>Every leaf below this node; the first one serves as the probe for levels above the leaves.</summary>
    public IReadOnlyList<LeafColumn> Leaves { get; } = leaves;

    /// <summary>The repetition level at which this node's instances repeat (0 at the top level).</summary>
    protected int InstanceRepetition { get; } = instanceRepetition;

    /// <summary>A leaf below the node, read to find out whether the node is null, empty or present.</summary>
    protected LeafColumn Probe => Leaves[0];

    /// <summary>Reads the next instance of this node.</summary>
    public abstract object? Read();

    /// <summary>Consumes the next instance of this node from every leaf below it without building a value.</summary>
    protected void SkipInstance()
    {
        foreach (var leaf in Leaves)
        {
            leaf.Skip(InstanceRepetition);
        }
    }
}
