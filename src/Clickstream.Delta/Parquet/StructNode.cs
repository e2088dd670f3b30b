namespace Clickstream.Delta.Parquet;

/// <summary>
/// A struct, read as <c>object?[]</c> in the Delta field order. A field the file lacks (null child) reads as null.
/// When none of the Delta fields are in the file, one of the file's leaves is read only to tell null structs from
/// present ones.
/// </summary>
internal sealed class StructNode(IReadOnlyList<ReadNode?> children, IReadOnlyList<LeafColumn> leaves, LeafColumn? presence, int definedLevel, int instanceRepetition)
    : ReadNode(leaves, instanceRepetition)
{
    public override object? Read()
    {
        if (Probe.Definition < definedLevel)
        {
            SkipInstance();
            return null;
        }

        var values = new object?[children.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = children[i]?.Read();
        }

        presence?.Skip(InstanceRepetition);
        return values;
    }
}
