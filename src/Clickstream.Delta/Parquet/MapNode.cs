namespace Clickstream.Delta.Parquet;

/// <summary>
/// A Parquet MAP (<c>key_value { key, value }</c>), read as <see cref="Dictionary{TKey,TValue}"/> of
/// <c>string → object?</c> for string keys (the usual case) and <c>object → object?</c> otherwise; null when the map
/// is null. A repeated key keeps its last value.
/// </summary>
internal sealed class MapNode(ReadNode key, ReadNode value, bool stringKeys, int nullLevel, int entryLevel, int entryRepetition, int instanceRepetition)
    : ReadNode([.. key.Leaves, .. value.Leaves], instanceRepetition)
{
    public override object? Read()
    {
        var definition = Probe.Definition;
        if (definition < entryLevel)
        {
            SkipInstance();
            return definition < nullLevel ? null : NewMap();
        }

        var map = NewMap();
        do
        {
            var k = key.Read() ?? throw new DeltaFormatException("a Parquet map holds a null key");
            map[k] = value.Read();
        }
        while (!Probe.AtEnd && Probe.Repetition == entryRepetition);

        return map;
    }

    private System.Collections.IDictionary NewMap() =>
        stringKeys ? new Dictionary<string, object?>(StringComparer.Ordinal) : new Dictionary<object, object?>();
}
