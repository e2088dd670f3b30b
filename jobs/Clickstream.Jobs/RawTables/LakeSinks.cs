using System.Globalization;
using Clickstream.Delta.Parquet;
using Clickstream.Jobs.Locations;

namespace Clickstream.Jobs.RawTables;

/// <summary>The lake's two table sinks: <c>DIR/events</c> and <c>DIR/quarantine</c>.</summary>
internal sealed class LakeSinks
{
    private LakeSinks(EventsTableSink events, QuarantineTableSink quarantine)
    {
        Events = events;
        Quarantine = quarantine;
    }

    public EventsTableSink Events { get; }

    public QuarantineTableSink Quarantine { get; }

    /// <summary>Opens (creating if needed) both tables under <paramref name="lake"/> (a folder or an S3 prefix).</summary>
    public static LakeSinks Open(Location lake, AwsContext aws, bool manifests)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["delta.checkpointInterval"] = "10",
            ["delta.logRetentionDuration"] = "interval 30 days",
            ["delta.deletedFileRetentionDuration"] = "interval 7 days",
        };
        if (manifests)
        {
            properties["delta.compatibility.symlinkFormatManifest.enabled"] = "true";
        }

        var events = new LakeTableWriter(
            lake.Child("events").Table(aws),
            LakeSchemas.Events,
            LakeSchemas.EventsPartition,
            properties,
            DataFileWriterOptions.Default with { DictionaryColumns = [.. LakeSchemas.EventsDictionaryColumns] });
        var quarantine = new LakeTableWriter(
            lake.Child("quarantine").Table(aws),
            LakeSchemas.Quarantine,
            LakeSchemas.QuarantinePartition,
            properties,
            DataFileWriterOptions.Default with { DictionaryColumns = ["reason", "source_file"] });
        events.Open();
        quarantine.Open();
        return new LakeSinks(new EventsTableSink(events), new QuarantineTableSink(quarantine, TimeProvider.System));
    }

    public void SetQueryId(string queryId)
    {
        Events.Writer.AppId = queryId;
        Quarantine.Writer.AppId = queryId;
    }

    public string Summary()
    {
        var e = Events.Writer;
        var q = Quarantine.Writer;
        var skipped = e.BatchesSkipped + q.BatchesSkipped;
        var replays = skipped > 0 ? $"; {skipped} replayed batch commit(s) were already in the lake and skipped" : "";
        var warning = (e.PostCommitWarning ?? q.PostCommitWarning) is { } w ? $"\nwarning: after a commit (the data is committed): {w}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"clickstream stream: lake events +{e.RowsWritten:N0} rows in {e.FilesWritten} files ({e.BytesWritten / 1048576.0:F1} MiB), quarantine +{q.RowsWritten:N0} rows{replays}{warning}");
    }
}
