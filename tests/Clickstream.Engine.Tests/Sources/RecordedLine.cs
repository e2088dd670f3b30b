namespace Clickstream.Engine.Tests.Sources;

/// <summary>What <see cref="RecordingDecoder"/> saw for one line.</summary>
internal sealed record RecordedLine(string Text, string File, long Offset, bool Truncated);
