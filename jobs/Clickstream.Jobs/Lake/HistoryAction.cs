using System.Text.Json;
using System.Text.Json.Nodes;
using Clickstream.Delta.Table;
using Clickstream.Jobs.Cli;

namespace Clickstream.Jobs.Lake;

/// <summary><c>clickstream lake history</c>: the table's commits, newest first.</summary>
internal sealed class HistoryAction : ILakeAction
{
    public string Name => "history";

    public async Task<int> RunAsync(CommandLine args, TextWriter output, CancellationToken cancellationToken)
    {
        var path = args.RequiredString("table");
        var limit = args.String("limit") is null ? (int?)null : (int)args.Long("limit", 0, 1, int.MaxValue);
        var json = args.Flag("json");
        args.EnsureAllUsed();
        var table = LakeOptions.Open(path);
        var history = await table.HistoryAsync(limit, cancellationToken);
        if (history.Count == 0)
        {
            // A log with a checkpoint but none of its commits left: the table exists, its history was cleaned up.
            await table.GetSnapshotAsync(cancellationToken: cancellationToken);
        }

        if (json)
        {
            LakeJson.Write(output, w => WriteJson(w, history));
            return 0;
        }

        var rows = new TextTable("version>", "time", "operation", "files added>", "removed>", "bytes added>", "parameters");
        foreach (var commit in history)
        {
            rows.Add(
                TextTable.Number(commit.Version),
                TextTable.Instant(DateTimeOffset.FromUnixTimeMilliseconds(commit.TimestampMs)),
                commit.Operation,
                TextTable.Number(commit.FilesAdded),
                TextTable.Number(commit.FilesRemoved),
                TextTable.Number(commit.BytesAdded),
                Parameters(commit));
        }

        rows.WriteTo(output, indent: "");
        return 0;
    }

    private static string Parameters(CommitSummary commit)
    {
        var parts = (commit.OperationParameters ?? []).Select(p => $"{p.Key}={Text(p.Value)}").ToList();
        if (commit.Transaction is { } txn)
        {
            parts.Add($"txn={txn.AppId}:{txn.Version}");
        }

        return string.Join(" ", parts);
    }

    private static string Text(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => value.ToJsonString(),
    };

    private static void WriteJson(Utf8JsonWriter w, IReadOnlyList<CommitSummary> history)
    {
        w.WriteStartArray();
        foreach (var commit in history)
        {
            w.WriteStartObject();
            w.WriteNumber("version", commit.Version);
            w.WriteString("timestamp", TextTable.Instant(DateTimeOffset.FromUnixTimeMilliseconds(commit.TimestampMs)));
            w.WriteString("operation", commit.Operation);
            w.WritePropertyName("parameters");
            (commit.OperationParameters ?? []).WriteTo(w);
            w.WritePropertyName("metrics");
            (commit.OperationMetrics ?? []).WriteTo(w);
            w.WriteNumber("files_added", commit.FilesAdded);
            w.WriteNumber("files_removed", commit.FilesRemoved);
            w.WriteNumber("bytes_added", commit.BytesAdded);
            if (commit.Transaction is { } txn)
            {
                w.WriteStartObject("txn");
                w.WriteString("app_id", txn.AppId);
                w.WriteNumber("version", txn.Version);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("txn");
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
