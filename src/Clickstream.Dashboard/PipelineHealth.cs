namespace Clickstream.Dashboard;

/// <summary>How the pipeline is doing.</summary>
/// <param name="Now">The server's clock when the figures were taken.</param>
/// <param name="BatchId">The newest committed batch, or null.</param>
/// <param name="CommittedAt">When it was committed, or null.</param>
/// <param name="FreshnessSeconds"><c>Now − CommittedAt</c>: how old the newest committed batch is.</param>
/// <param name="NewestEventTime">The end of the newest event window in the store.</param>
/// <param name="Watermark">The job's watermark after its newest batch (needs the checkpoint), or null.</param>
/// <param name="WatermarkLagSeconds">Newest event time seen by the job minus its watermark (needs the checkpoint), or null.</param>
/// <param name="EventsPerSecond">Valid events per second of event time over the last 5 minutes of data.</param>
/// <param name="ProcessedRowsPerSecond">Input rows per second of processing in the newest batch (needs the checkpoint), or null.</param>
/// <param name="InvalidRate">Invalid lines / all input lines of the range (0 when none).</param>
/// <param name="DuplicateRate">Duplicates / all input lines of the range.</param>
/// <param name="LateRate">Late events / all input lines of the range.</param>
public sealed record PipelineHealth(
    DateTimeOffset Now,
    long? BatchId,
    DateTimeOffset? CommittedAt,
    double? FreshnessSeconds,
    DateTimeOffset? NewestEventTime,
    DateTimeOffset? Watermark,
    double? WatermarkLagSeconds,
    double EventsPerSecond,
    double? ProcessedRowsPerSecond,
    double InvalidRate,
    double DuplicateRate,
    double LateRate);
