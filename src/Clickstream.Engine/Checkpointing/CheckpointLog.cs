using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clickstream.Engine.Checkpointing;

/// <summary>
/// The checkpoint folder of a query (layout and formats in <c>docs/formats/checkpoint.md</c>):
/// <c>metadata</c> (query id), <c>offsets/N</c> (write-ahead log), <c>commits/N</c> (commit log),
/// <c>sources/i/</c>, <c>state/op/part/</c> and <c>progress.ndjson</c>. Spark's v1 text formats are kept:
/// a version line, then JSON.
/// </summary>
internal sealed class CheckpointLog
{
    private const string Offsets = "offsets";
    private const string Commits = "commits";
    private const string Progress = "progress.ndjson";

    public CheckpointLog(ICheckpointStore store)
    {
        Store = store;
        QueryId = LoadOrCreateId();
    }

    public CheckpointLog(string root)
        : this(new LocalCheckpointStore(root))
    {
    }

    public ICheckpointStore Store { get; }

    /// <summary>The checkpoint's location, for messages.</summary>
    public string Root => Store.Describe(string.Empty);

    public string QueryId { get; }

    public CheckpointFolder SourceDir(int index) => new(Store, "sources/" + index.ToString(CultureInfo.InvariantCulture));

    public CheckpointFolder StateDir(int op, int partition) =>
        new(Store, "state/" + op.ToString(CultureInfo.InvariantCulture) + "/" + partition.ToString(CultureInfo.InvariantCulture));

    public long? LatestOffsetsId() => LatestId(Offsets);

    public long? LatestCommitId() => LatestId(Commits);

    public void WriteOffsets(long batchId, OffsetSeq seq)
    {
        var meta = new JsonObject
        {
            ["batchWatermarkMs"] = seq.BatchWatermarkMs,
            ["batchTimestampMs"] = seq.BatchTimestampMs,
        };
        var conf = new JsonObject();
        foreach (var (k, v) in seq.Conf)
        {
            conf[k] = v;
        }

        meta["conf"] = conf;
        var sb = new StringBuilder("v1\n").Append(meta.ToJsonString()).Append('\n');
        foreach (var offset in seq.SourceOffsets)
        {
            sb.Append(offset ?? "-").Append('\n');
        }

        if (!Store.TryCreate(KeyOf(Offsets, batchId), Encoding.UTF8.GetBytes(sb.ToString())))
        {
            throw new InvalidOperationException(
                $"offsets/{batchId} already exists in {Root}: another query is writing to this checkpoint (concurrent writers are not allowed)");
        }
    }

    public OffsetSeq ReadOffsets(long batchId)
    {
        var key = KeyOf(Offsets, batchId);
        var lines = ReadText(key).Split('\n');
        if (lines.Length < 2 || lines[0] != "v1")
        {
            throw new InvalidDataException($"{Store.Describe(key)}: unsupported offset log format (expected first line 'v1')");
        }

        JsonObject meta;
        try
        {
            meta = JsonNode.Parse(lines[1])!.AsObject();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException)
        {
            throw new InvalidDataException($"{Store.Describe(key)}: the offset log entry is not valid JSON ({e.Message})", e);
        }

        var conf = new Dictionary<string, string>(StringComparer.Ordinal);
        if (meta["conf"] is JsonObject c)
        {
            foreach (var (k, v) in c)
            {
                conf[k] = v!.GetValue<string>();
            }
        }

        var offsets = new List<string?>();
        for (var i = 2; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            offsets.Add(lines[i] == "-" ? null : lines[i]);
        }

        return new OffsetSeq(
            meta["batchWatermarkMs"]!.GetValue<long>(),
            meta["batchTimestampMs"]!.GetValue<long>(),
            conf,
            offsets);
    }

    public void WriteCommit(long batchId, long nextBatchWatermarkMs)
    {
        var content = "v1\n" + JsonSerializer.Serialize(new Dictionary<string, long> { ["nextBatchWatermarkMs"] = nextBatchWatermarkMs }) + "\n";

        // A commit left by a run that died right after writing it is harmless to keep: same batch, same content.
        Store.TryCreate(KeyOf(Commits, batchId), Encoding.UTF8.GetBytes(content));
    }

    public long ReadCommitWatermark(long batchId)
    {
        var key = KeyOf(Commits, batchId);
        var lines = ReadText(key).Split('\n');
        if (lines.Length < 2 || lines[0] != "v1")
        {
            throw new InvalidDataException($"{Store.Describe(key)}: unsupported commit log format");
        }

        try
        {
            return JsonNode.Parse(lines[1])!["nextBatchWatermarkMs"]!.GetValue<long>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException)
        {
            throw new InvalidDataException($"{Store.Describe(key)}: the commit log entry is not valid ({e.Message})", e);
        }
    }

    /// <summary>Deletes log entries older than <paramref name="keepFrom"/> (Spark's minBatchesToRetain).</summary>
    public void Purge(long keepFrom)
    {
        foreach (var folder in new[] { Offsets, Commits })
        {
            foreach (var name in Store.List(folder))
            {
                if (long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id < keepFrom)
                {
                    Store.Delete(folder + "/" + name);
                }
            }
        }
    }

    public void AppendProgress(string json) => Store.AppendLine(Progress, json);

    private static string KeyOf(string folder, long id) => folder + "/" + id.ToString(CultureInfo.InvariantCulture);

    private string ReadText(string key) =>
        Store.Read(key) is { } bytes
            ? Encoding.UTF8.GetString(bytes)
            : throw new InvalidDataException($"{Store.Describe(key)} is missing");

    private long? LatestId(string folder)
    {
        long? best = null;
        foreach (var name in Store.List(folder))
        {
            if (long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && (best is null || id > best))
            {
                best = id;
            }
        }

        return best;
    }

    private string LoadOrCreateId()
    {
        const string key = "metadata";
        if (Store.Read(key) is null)
        {
            var id = Guid.NewGuid().ToString();
            Store.TryCreate(key, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = id }) + "\n"));
        }

        try
        {
            var node = JsonNode.Parse(ReadText(key));
            return node?["id"]?.GetValue<string>() ?? throw new InvalidDataException($"{Store.Describe(key)} has no query id");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Store.Describe(key)} is not valid JSON ({e.Message})", e);
        }
    }
}
