using System.Text;

namespace Clickstream.Collector;

/// <summary>
/// Where accepted events go: the local landing log by default, or a stream (Kinesis) that a host plugs in through
/// <see cref="CollectorOptions.Sink"/>. A request is answered 202 only once its lines are durable here.
/// </summary>
public interface IEventSink : IAsyncDisposable
{
    /// <summary>
    /// Takes complete NDJSON lines; the task completes once they are durable, or fails with
    /// <see cref="SinkUnavailableException"/> (the request then gets 503 + Retry-After).
    /// </summary>
    Task AppendAsync(ReadOnlySpan<byte> lines);

    /// <summary>False while the sink cannot make events durable (<c>/readyz</c> answers 503).</summary>
    bool IsHealthy { get; }

    /// <summary>Where the events go, for the start-up line (a folder, <c>kinesis://STREAM</c>).</summary>
    string Description { get; }

    /// <summary>Appends the sink's own Prometheus metrics to <c>/metrics</c>.</summary>
    void WriteMetrics(StringBuilder output)
    {
    }
}

/// <summary>The sink cannot make events durable right now (disk or stream error, full buffer, shutting down).</summary>
public sealed class SinkUnavailableException : Exception
{
    public SinkUnavailableException()
    {
    }

    public SinkUnavailableException(string message)
        : base(message)
    {
    }

    public SinkUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
