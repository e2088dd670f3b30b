using System.Globalization;
using System.Text.Json;
using Clickstream.Engine.Sinks;
using Clickstream.Udfs;

namespace Clickstream.Jobs.Streaming;

/// <summary>
/// Keeps every invalid line with its reason: one NDJSON file per batch, <c>quarantine/batch-&lt;id&gt;.ndjson</c>,
/// written to a temporary name and renamed, so a replayed batch rewrites the same file (exactly once) and a
/// crash never leaves half a file. Fields: raw, reason, detail, timestamp (when readable), file, offset, batch_id.
/// </summary>
internal sealed class QuarantineSink(string folder) : IBatchSink<InvalidRecord>
{
    public string Description => $"Quarantine[{folder}]";

    public void AddBatch(long batchId, IReadOnlyList<InvalidRecord> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"batch-{batchId.ToString("D8", CultureInfo.InvariantCulture)}.ndjson");
        var tmp = path + ".tmp";
        using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            using var writer = new Utf8JsonWriter(file);
            foreach (var r in rows)
            {
                writer.WriteStartObject();
                writer.WriteString("raw", r.RawText);
                writer.WriteString("reason", r.Reason.ToCode());
                writer.WriteString("detail", r.Detail);
                if (r.TimestampMicros is { } t)
                {
                    writer.WriteString("timestamp", Iso8601.FormatMicros(t));
                }
                else
                {
                    writer.WriteNull("timestamp");
                }

                writer.WriteString("file", r.File);
                writer.WriteNumber("offset", r.Offset);
                writer.WriteNumber("batch_id", batchId);
                writer.WriteEndObject();
                writer.Flush();
                file.WriteByte((byte)'\n');
                writer.Reset();
            }

            writer.Flush();
            file.Flush(flushToDisk: true);
        }

        File.Move(tmp, path, overwrite: true);
    }
}
