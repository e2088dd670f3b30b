using System.Text.Json;
using Clickstream.Delta.Maintenance;
using Clickstream.Jobs.Cli;

namespace Clickstream.Jobs.Lake;

/// <summary><c>clickstream lake describe</c>: the table's state at its latest version.</summary>
internal sealed class DescribeAction : ILakeAction
{
    public string Name => "describe";

    public async Task<int> RunAsync(CommandLine args, TextWriter output, CancellationToken cancellationToken)
    {
        var path = args.RequiredString("table");
        var json = args.Flag("json");
        args.EnsureAllUsed();
        var description = await TableDescription.LoadAsync(LakeOptions.Open(path), cancellationToken);
        if (json)
        {
            LakeJson.Write(output, w => WriteJson(w, description));
        }
        else
        {
            WriteText(output, description);
        }

        return 0;
    }

    private static void WriteText(TextWriter o, TableDescription d)
    {
        var committed = d.LastCommitTime is { } t ? $" (committed {TextTable.Instant(t)})" : "";
        var records = d.TotalRecords is { } r ? $", {TextTable.Number(r)} records" : "";
        var facts = new TextTable("key", "value");
        facts.Add("Location", d.Location);
        facts.Add("Version", TextTable.Number(d.Version) + committed);
        facts.Add("Table id", d.TableId);
        if (d.Name is not null)
        {
            facts.Add("Name", d.Name);
        }

        if (!string.IsNullOrEmpty(d.Description))
        {
            facts.Add("Description", d.Description);
        }

        facts.Add("Created", d.CreatedTime is { } c ? TextTable.Instant(c) : "unknown");
        facts.Add("Protocol", Protocol(d));
        facts.Add("Partitioned by", d.PartitionColumns.Count == 0 ? "(not partitioned)" : string.Join(", ", d.PartitionColumns));
        facts.Add("Files", $"{TextTable.Number(d.FileCount)} in {TextTable.Number(d.Partitions.Count)} partitions, {TextTable.Bytes(d.TotalBytes)}{records}");
        facts.Add("Checkpoint", d.LatestCheckpointVersion is { } cp ? $"version {TextTable.Number(cp)}" : "none");
        facts.WriteTo(o, indent: "", header: false);

        o.WriteLine();
        o.WriteLine("Schema");
        var schema = new TextTable("column", "type", "nullable", "partition");
        foreach (var column in d.Columns)
        {
            schema.Add(column.Name, column.Type, column.Nullable ? "yes" : "no", column.IsPartition ? "partition" : "");
        }

        schema.WriteTo(o);

        o.WriteLine();
        o.WriteLine("Properties");
        if (d.Properties.Count == 0)
        {
            o.WriteLine("  (none)");
        }
        else
        {
            var properties = new TextTable("property", "value");
            foreach (var (key, value) in d.Properties)
            {
                properties.Add(key, value);
            }

            properties.WriteTo(o);
        }

        o.WriteLine();
        o.WriteLine("Partitions");
        if (d.Partitions.Count == 0)
        {
            o.WriteLine("  (no files)");
        }
        else
        {
            var partitions = new TextTable("partition", "files>", "bytes>", "records>");
            foreach (var p in d.Partitions)
            {
                partitions.Add(p.Directory.Length == 0 ? "(table)" : p.Directory, TextTable.Number(p.Files), TextTable.Number(p.Bytes), p.Records is { } n ? TextTable.Number(n) : "unknown");
            }

            partitions.WriteTo(o);
        }

        o.WriteLine();
        o.WriteLine("Application transactions");
        if (d.ApplicationTransactions.Count == 0)
        {
            o.WriteLine("  (none)");
        }
        else
        {
            var txns = new TextTable("application", "version>", "last updated");
            foreach (var txn in d.ApplicationTransactions)
            {
                txns.Add(txn.AppId, TextTable.Number(txn.Version), txn.LastUpdated is { } u ? TextTable.Instant(DateTimeOffset.FromUnixTimeMilliseconds(u)) : "");
            }

            txns.WriteTo(o);
        }
    }

    private static string Protocol(TableDescription d)
    {
        var text = $"reader {d.Protocol.MinReaderVersion}, writer {d.Protocol.MinWriterVersion}";
        var features = (d.Protocol.ReaderFeatures ?? []).Concat(d.Protocol.WriterFeatures ?? []).Distinct(StringComparer.Ordinal).ToList();
        return features.Count == 0 ? text : $"{text} (features: {string.Join(", ", features)})";
    }

    private static void WriteJson(Utf8JsonWriter w, TableDescription d)
    {
        w.WriteStartObject();
        w.WriteString("location", d.Location);
        w.WriteNumber("version", d.Version);
        LakeJson.WriteInstant(w, "last_commit_time", d.LastCommitTime);
        w.WriteString("table_id", d.TableId);
        LakeJson.WriteString(w, "name", d.Name);
        LakeJson.WriteString(w, "description", d.Description);
        LakeJson.WriteInstant(w, "created_time", d.CreatedTime);
        w.WriteStartObject("protocol");
        w.WriteNumber("min_reader_version", d.Protocol.MinReaderVersion);
        w.WriteNumber("min_writer_version", d.Protocol.MinWriterVersion);
        LakeJson.WriteStrings(w, "reader_features", d.Protocol.ReaderFeatures);
        LakeJson.WriteStrings(w, "writer_features", d.Protocol.WriterFeatures);
        w.WriteEndObject();
        w.WriteStartArray("schema");
        foreach (var column in d.Columns)
        {
            w.WriteStartObject();
            w.WriteString("name", column.Name);
            w.WriteString("type", column.Type);
            w.WriteBoolean("nullable", column.Nullable);
            w.WriteBoolean("partition", column.IsPartition);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        LakeJson.WriteStrings(w, "partition_columns", d.PartitionColumns);
        w.WriteStartObject("properties");
        foreach (var (key, value) in d.Properties)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
        w.WriteNumber("files", d.FileCount);
        w.WriteNumber("bytes", d.TotalBytes);
        LakeJson.WriteNumber(w, "records", d.TotalRecords);
        w.WriteStartArray("partitions");
        foreach (var p in d.Partitions)
        {
            w.WriteStartObject();
            w.WriteStartObject("values");
            foreach (var (column, value) in p.Values)
            {
                LakeJson.WriteString(w, column, value);
            }

            w.WriteEndObject();
            w.WriteString("directory", p.Directory);
            w.WriteNumber("files", p.Files);
            w.WriteNumber("bytes", p.Bytes);
            LakeJson.WriteNumber(w, "records", p.Records);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        LakeJson.WriteNumber(w, "latest_checkpoint_version", d.LatestCheckpointVersion);
        w.WriteStartArray("app_transactions");
        foreach (var txn in d.ApplicationTransactions)
        {
            w.WriteStartObject();
            w.WriteString("app_id", txn.AppId);
            w.WriteNumber("version", txn.Version);
            LakeJson.WriteInstant(w, "last_updated", txn.LastUpdated is { } u ? DateTimeOffset.FromUnixTimeMilliseconds(u) : null);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
