namespace Clickstream.Delta.Parquet;

/// <summary>
/// A Parquet LIST (<c>list { element }</c>), read as <c>object?[]</c>: null when the list is null, empty when it has
/// no elements.
/// </summary>
/// <param name="element">The element node; its instances repeat at <paramref name="elementRepetition"/>.</param>
/// <param name="nullLevel">Definition levels below this mean a null list.</param>
/// <param name="elementLevel">Definition levels at or above this mean the list has elements.</param>
/// <param name="elementRepetition">The repetition level of the list's elements.</param>
/// <param name="instanceRepetition">The repetition level of the list itself.</param>
internal sealed class ListNode(ReadNode element, int nullLevel, int elementLevel, int elementRepetition, int instanceRepetition)
    : ReadNode(element.Leaves, instanceRepetition)
{
    public override object? Read()
    {
        var definition = Probe.Definition;
        if (definition < elementLevel)
        {
            SkipInstance();
            return definition < nullLevel ? null : Array.Empty<object?>();
        }

        var elements = new List<object?>();
        do
        {
            elements.Add(element.Read());
        }
        while (!Probe.AtEnd && Probe.Repetition == elementRepetition);

        return elements.ToArray();
    }
}
