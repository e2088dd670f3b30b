using System.Globalization;
using System.Text;
using Clickstream.Aws.Kinesis;
using Clickstream.Collector;

namespace Clickstream.Jobs.Collector;

/// <summary>The collector's sink for <c>--sink kinesis://STREAM</c>: a 202 means every event of the request is in Kinesis.</summary>
internal sealed class KinesisEventSink(KinesisLineProducer producer) : IEventSink
{
    public KinesisLineProducer Producer => producer;

    public bool IsHealthy => producer.IsHealthy;

    public string Description => KinesisNames.Scheme + producer.Stream;

    public Task AppendAsync(ReadOnlySpan<byte> lines) => Translate(producer.PutAsync(lines));

    private static async Task Translate(Task put)
    {
        try
        {
            await put.ConfigureAwait(false);
        }
        catch (KinesisUnavailableException e)
        {
            throw new SinkUnavailableException(e.Message, e);
        }
    }

    public ValueTask DisposeAsync() => producer.DisposeAsync();

    public void WriteMetrics(StringBuilder output)
    {
        var stats = producer.Stats;
        Counter(output, "clickstream_collector_kinesis_events_total", "Events stored in Kinesis.", stats.Lines);
        Counter(output, "clickstream_collector_kinesis_records_total", "Kinesis records stored (events of one user packed together).", stats.Records);
        Counter(output, "clickstream_collector_kinesis_bytes_total", "Bytes stored in Kinesis (data and partition keys).", stats.Bytes);
        Counter(output, "clickstream_collector_kinesis_put_units_total", "PUT payload units billed (each record rounded up to 25 KB).", stats.PutUnits);
        Counter(output, "clickstream_collector_kinesis_calls_total", "PutRecords calls, retries included.", stats.Calls);
        Counter(output, "clickstream_collector_kinesis_throttled_records_total", "Records Kinesis refused and that were sent again.", stats.ThrottledRecords);
    }

    private static void Counter(StringBuilder output, string name, string help, long value) =>
        output.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(" counter\n")
            .Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
