using System.Globalization;
using System.Text.Json;
using Clickstream.Engine.Checkpointing;
using Clickstream.Engine.Sinks;
using Clickstream.Udfs;

namespace Clickstream.Jobs.Streaming;

/// <summary>
/// Keeps every invalid line with its reason: one NDJSON file per batch, <c>quarantine/batch-&lt;id&gt;.ndjson</c>,
/// replaced atomically by the checkpoint store, so a replayed batch rewrites the same file (exactly once) and a
/// crash never leaves half a file. Fields: raw, reason, detail, timestamp (when readable), file, offset, batch_id.
/// </summary>
internal sealed class QuarantineSink(CheckpointFolder folder) : IBatchSink<InvalidRecord>
{
    public string Description => $"Quarantine[{folder.Location}]";

    public void AddBatch(long batchId, IReadOnlyList<InvalidRecord> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        folder.Write($"batch-{batchId.ToString("D8", CultureInfo.InvariantCulture)}.ndjson", file =>
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
        });
    }
}
