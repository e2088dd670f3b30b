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
    public CheckpointLog(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(OffsetsDir);
        Directory.CreateDirectory(CommitsDir);
        QueryId = LoadOrCreateId();
    }

    public string Root { get; }

    public string QueryId { get; }

    public string OffsetsDir => Path.Combine(Root, "offsets");

    public string CommitsDir => Path.Combine(Root, "commits");

    public string ProgressPath => Path.Combine(Root, "progress.ndjson");

    public string SourceDir(int index) => Path.Combine(Root, "sources", index.ToString(CultureInfo.InvariantCulture));

    public string StateDir(int op, int partition) =>
        Path.Combine(Root, "state", op.ToString(CultureInfo.InvariantCulture), partition.ToString(CultureInfo.InvariantCulture));

    public long? LatestOffsetsId() => LatestId(OffsetsDir);

    public long? LatestCommitId() => LatestId(CommitsDir);

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

        if (!AtomicFile.TryCreate(PathOf(OffsetsDir, batchId), sb.ToString()))
        {
            throw new InvalidOperationException(
                $"offsets/{batchId} already exists in {Root}: another query is writing to this checkpoint (concurrent writers are not allowed)");
        }
    }

    public OffsetSeq ReadOffsets(long batchId)
    {
        var path = PathOf(OffsetsDir, batchId);
        var lines = File.ReadAllText(path).Split('\n');
        if (lines.Length < 2 || lines[0] != "v1")
        {
            throw new InvalidDataException($"{path}: unsupported offset log format (expected first line 'v1')");
        }

        var meta = JsonNode.Parse(lines[1])!.AsObject();
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
        AtomicFile.TryCreate(PathOf(CommitsDir, batchId), content);
    }

    public long ReadCommitWatermark(long batchId)
    {
        var path = PathOf(CommitsDir, batchId);
        var lines = File.ReadAllText(path).Split('\n');
        if (lines.Length < 2 || lines[0] != "v1")
        {
            throw new InvalidDataException($"{path}: unsupported commit log format");
        }

        return JsonNode.Parse(lines[1])!["nextBatchWatermarkMs"]!.GetValue<long>();
    }

    /// <summary>Deletes log entries older than <paramref name="keepFrom"/> (Spark's minBatchesToRetain).</summary>
    public void Purge(long keepFrom)
    {
        foreach (var dir in new[] { OffsetsDir, CommitsDir })
        {
            foreach (var file in Directory.EnumerateFiles(dir))
            {
                if (long.TryParse(Path.GetFileName(file), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id < keepFrom)
                {
                    File.Delete(file);
                }
            }
        }
    }

    public void AppendProgress(string json)
    {
        using var w = new StreamWriter(ProgressPath, append: true);
        w.Write(json);
        w.Write('\n');
    }

    private static string PathOf(string dir, long id) => Path.Combine(dir, id.ToString(CultureInfo.InvariantCulture));

    private static long? LatestId(string dir)
    {
        long? best = null;
        foreach (var file in Directory.EnumerateFiles(dir))
        {
            if (long.TryParse(Path.GetFileName(file), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && (best is null || id > best))
            {
                best = id;
            }
        }

        return best;
    }

    private string LoadOrCreateId()
    {
        var path = Path.Combine(Root, "metadata");
        if (!File.Exists(path))
        {
            var id = Guid.NewGuid().ToString();
            AtomicFile.TryCreate(path, JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = id }) + "\n");
        }

        var node = JsonNode.Parse(File.ReadAllText(path));
        return node?["id"]?.GetValue<string>() ?? throw new InvalidDataException($"{path} has no query id");
    }
}
