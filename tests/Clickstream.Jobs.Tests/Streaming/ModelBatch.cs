using Clickstream.Jobs.Tests.Support;

namespace Clickstream.Jobs.Tests.Streaming;

/// <summary>One micro-batch for the reference model: its id, its processing time (ms) and its lines in arrival order (none: a no-data batch).</summary>
internal sealed record ModelBatch(long BatchId, long TimestampMs, IReadOnlyList<InputLine> Lines);
