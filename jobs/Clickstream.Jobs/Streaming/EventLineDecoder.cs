using System.Text;
using Clickstream.Engine.Sources;
using Clickstream.Udfs;

namespace Clickstream.Jobs.Streaming;

/// <summary>
/// Turns each NDJSON line into a <see cref="JobInput"/>; never throws on bad input. With <paramref name="keepRawLines"/>
/// each valid event also carries a copy of its line (for the raw table). One instance per split (not thread-safe).
/// </summary>
internal sealed class EventLineDecoder(bool keepRawLines = false) : ILineDecoder<JobInput>
{
    private readonly EventParser _parser = new();
    private readonly LineArena? _arena = keepRawLines ? new LineArena() : null;

    public void Decode(ReadOnlySpan<byte> line, in LineContext context, List<JobInput> output)
    {
        if (context.Truncated)
        {
            output.Add(new JobInput(default, new InvalidRecord(
                Encoding.UTF8.GetString(line),
                InvalidReason.TooLarge,
                $"line is longer than the source's line limit; only its first {line.Length} bytes are kept",
                null,
                context.File,
                context.Offset)));
            return;
        }

        if (_parser.TryParse(line, out var ev, out var error))
        {
            output.Add(new JobInput(_arena is null ? ev : ev with { RawLine = _arena.Copy(line) }, null));
            return;
        }

        output.Add(new JobInput(default, new InvalidRecord(
            Encoding.UTF8.GetString(line),
            error.Reason,
            error.Detail,
            error.TimestampMicros,
            context.File,
            context.Offset)));
    }
}
