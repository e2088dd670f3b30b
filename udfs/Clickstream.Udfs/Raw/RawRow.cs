using System.Runtime.CompilerServices;

namespace Clickstream.Udfs.Raw;

/// <summary>
/// One event's values while its line is read, on the extractor's stack. Nothing reaches the columns until the
/// whole line has been read, so a line that fails half-way leaves no partial row. A field seen twice is
/// overwritten: the last occurrence wins, as in <see cref="EventParser"/>.
/// </summary>
internal struct RawRow
{
    /// <summary>String values indexed by <see cref="RawField"/>; null when absent or JSON null.</summary>
    public Strings Text;

    public long EventTime;
    public double Price;
    public long Quantity;
    public int SchemaVersion;
    public long ReceivedAt;
    public bool HasEventTime;
    public bool HasPrice;
    public bool HasQuantity;
    public bool HasSchemaVersion;
    public bool HasReceivedAt;

    /// <summary>Whether the event has every required field, as <see cref="EventParser"/> requires it.</summary>
    public readonly bool IsComplete =>
        HasEventTime
        && !string.IsNullOrEmpty(Text[(int)RawField.EventId])
        && !string.IsNullOrEmpty(Text[(int)RawField.EventType])
        && !string.IsNullOrEmpty(Text[(int)RawField.UserId])
        && !string.IsNullOrEmpty(Text[(int)RawField.SessionId]);

    [InlineArray(RawFieldNames.Count)]
    public struct Strings
    {
        private string? _first;
    }
}
