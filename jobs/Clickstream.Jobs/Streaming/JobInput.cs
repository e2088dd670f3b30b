using Clickstream.Udfs;

namespace Clickstream.Jobs.Streaming;

/// <summary>One input line: a valid event, or the invalid line with its reason.</summary>
internal readonly record struct JobInput(ClickEvent Event, InvalidRecord? Invalid)
{
    public bool IsValid => Invalid is null;
}

/// <summary>An invalid line kept for the quarantine: the raw text, why it was rejected and where it came from.</summary>
internal sealed record InvalidRecord(string RawText, InvalidReason Reason, string Detail, long? TimestampMicros, string File, long Offset);
