using System.Text;
using Clickstream.Engine.Sources;
using Clickstream.Udfs;

namespace Clickstream.Jobs.Streaming;

/// <summary>Turns each NDJSON line into a <see cref="JobInput"/>; never throws on bad input. One instance per split (not thread-safe).</summary>
internal sealed class EventLineDecoder : ILineDecoder<JobInput>
{
    private readonly EventParser _parser = new();

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
            output.Add(new JobInput(ev, null));
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
