using Clickstream.Jobs.Tests.Support;

namespace Clickstream.Jobs.Tests.Streaming;

/// <summary>An invalid line the model expects in the quarantine of <paramref name="BatchId"/>.</summary>
internal sealed record ModelInvalid(long BatchId, InputLine Line, string Reason, long? TimestampMicros);
