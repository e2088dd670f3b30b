namespace Clickstream.Jobs.Tests.Streaming;

/// <summary>
/// What the reference parser makes of one line: a valid <see cref="Event"/>, or the <see cref="Reason"/> code it is
/// invalid for, with the event time when one could be read (<see cref="TimestampMicros"/>).
/// </summary>
internal sealed record ModelLine(ModelEvent? Event, string? Reason, long? TimestampMicros)
{
    public static ModelLine Valid(ModelEvent e) => new(e, null, e.TimestampMicros);

    public static ModelLine Invalid(string reason, long? timestampMicros = null) => new(null, reason, timestampMicros);
}
