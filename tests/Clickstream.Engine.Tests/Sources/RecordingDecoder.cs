using System.Text;
using Clickstream.Engine.Sources;

namespace Clickstream.Engine.Tests.Sources;

/// <summary>A decoder that keeps every line as text with its context, so tests can compare exactly what was read.</summary>
internal sealed class RecordingDecoder : ILineDecoder<RecordedLine>
{
    public void Decode(ReadOnlySpan<byte> line, in LineContext context, List<RecordedLine> output) =>
        output.Add(new RecordedLine(Encoding.UTF8.GetString(line), context.File, context.Offset, context.Truncated));
}
