namespace Clickstream.Delta.Parquet;

/// <summary>A primitive value: one entry of one leaf column.</summary>
internal sealed class LeafNode(LeafColumn leaf, int instanceRepetition) : ReadNode([leaf], instanceRepetition)
{
    public override object? Read() => Probe.Take();
}
