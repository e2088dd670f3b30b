namespace Clickstream.Udfs;

/// <summary>What the last occurrence of a required field held.</summary>
internal enum FieldStatus : byte
{
    Missing = 0,
    Present,
    Empty,
    WrongType,
    BadEscape,
    BadTimestamp,
}
