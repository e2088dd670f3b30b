using System.Globalization;
using System.Text;

namespace Clickstream.Collector.Metrics;

/// <summary>
/// Counters for <c>/metrics</c>, updated with interlocked operations from request threads and the flusher, and
/// rendered in the Prometheus text exposition format (version 0.0.4) by hand.
/// </summary>
internal sealed class CollectorMetrics
{
    /// <summary>Upper bounds (seconds) of the request latency histogram buckets.</summary>
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly long[] _rejected = new long[RejectReasons.Names.Length];
    private readonly long[] _bucketCounts = new long[Buckets.Length + 1];
    private long _acceptedEvents;
    private long _acceptedRequests;
    private long _receivedBytes;
    private long _decodedBytes;
    private long _landedBytes;
    private long _flushes;
    private long _published;
    private long _latencyTicks;
    private long _latencyCount;

    public long AcceptedEvents => Interlocked.Read(ref _acceptedEvents);

    public long Flushes => Interlocked.Read(ref _flushes);

    public long Rejected(RejectReason reason) => Interlocked.Read(ref _rejected[(int)reason]);

    public void Received(long wireBytes, long decodedBytes)
    {
        Interlocked.Add(ref _receivedBytes, wireBytes);
        Interlocked.Add(ref _decodedBytes, decodedBytes);
    }

    public void Accepted(int events)
    {
        Interlocked.Add(ref _acceptedEvents, events);
        Interlocked.Increment(ref _acceptedRequests);
    }

    public void Reject(RejectReason reason) => Interlocked.Increment(ref _rejected[(int)reason]);

    public void Flushed(int bytes)
    {
        Interlocked.Add(ref _landedBytes, bytes);
        Interlocked.Increment(ref _flushes);
    }

    public void Published() => Interlocked.Increment(ref _published);

    public void Observe(TimeSpan latency)
    {
        var seconds = latency.TotalSeconds;
        var i = 0;
        while (i < Buckets.Length && seconds > Buckets[i])
        {
            i++;
        }

        Interlocked.Increment(ref _bucketCounts[i]);
        Interlocked.Add(ref _latencyTicks, latency.Ticks);
        Interlocked.Increment(ref _latencyCount);
    }

    public string Render()
    {
        var w = new StringBuilder(4096);
        Counter(w, "clickstream_collector_events_accepted_total", "Events made durable and acknowledged with 202.", AcceptedEvents);
        Counter(w, "clickstream_collector_requests_accepted_total", "Requests answered 202.", Interlocked.Read(ref _acceptedRequests));
        w.Append("# HELP clickstream_collector_requests_rejected_total Requests refused, by reason.\n");
        w.Append("# TYPE clickstream_collector_requests_rejected_total counter\n");
        for (var i = 0; i < _rejected.Length; i++)
        {
            w.Append("clickstream_collector_requests_rejected_total{reason=\"").Append(RejectReasons.Names[i]).Append("\"} ")
                .Append(Interlocked.Read(ref _rejected[i]).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        Counter(w, "clickstream_collector_received_bytes_total", "Request body bytes as sent (compressed when gzip).", Interlocked.Read(ref _receivedBytes));
        Counter(w, "clickstream_collector_decoded_bytes_total", "Request body bytes after decompression.", Interlocked.Read(ref _decodedBytes));
        Counter(w, "clickstream_collector_landed_bytes_total", "Bytes written and fsync'd to landing files.", Interlocked.Read(ref _landedBytes));
        Counter(w, "clickstream_collector_fsyncs_total", "Group commits (one write and fsync each).", Flushes);
        Counter(w, "clickstream_collector_files_published_total", "Landing files published for the stream job.", Interlocked.Read(ref _published));

        w.Append("# HELP clickstream_collector_request_duration_seconds Time to answer POST /v1/events.\n");
        w.Append("# TYPE clickstream_collector_request_duration_seconds histogram\n");
        long cumulative = 0;
        for (var i = 0; i < Buckets.Length; i++)
        {
            cumulative += Interlocked.Read(ref _bucketCounts[i]);
            w.Append("clickstream_collector_request_duration_seconds_bucket{le=\"")
                .Append(Buckets[i].ToString(CultureInfo.InvariantCulture)).Append("\"} ")
                .Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        cumulative += Interlocked.Read(ref _bucketCounts[Buckets.Length]);
        w.Append("clickstream_collector_request_duration_seconds_bucket{le=\"+Inf\"} ").Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        w.Append("clickstream_collector_request_duration_seconds_sum ")
            .Append(TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks)).TotalSeconds.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        w.Append("clickstream_collector_request_duration_seconds_count ").Append(Interlocked.Read(ref _latencyCount).ToString(CultureInfo.InvariantCulture)).Append('\n');
        return w.ToString();
    }

    private static void Counter(StringBuilder w, string name, string help, long value) =>
        w.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(" counter\n")
            .Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
