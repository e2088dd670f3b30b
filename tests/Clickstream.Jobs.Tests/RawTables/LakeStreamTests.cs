using System.Globalization;
using System.Text;
using System.Text.Json;
using Clickstream.Jobs.RawTables;
using Clickstream.Jobs.Streaming;
using Clickstream.Jobs.Tests.Streaming;
using Clickstream.Jobs.Tests.Support;

namespace Clickstream.Jobs.Tests.RawTables;

/// <summary>
/// <c>stream --lake</c>: the events table holds exactly the valid, first-occurrence events (late ones included) the
/// reference model keeps, with typed columns matching the input; the quarantine table holds every invalid line
/// with its reason; every batch is one commit with the query's txn; a rerun writes nothing twice.
/// </summary>
public sealed class LakeStreamTests
{
    [Fact]
    public async Task Stream_WithLake_WritesEachKeptEventOnceAndEveryInvalidLine()
    {
        using var folder = new TempFolder("lake");
        var input = folder.PathOf("input");
        var lake = folder.PathOf("lake");
        await JobCommands.GenerateAsync("--out", input, "--events", "30000", "--files", "5", "--seed", "5", "--minutes", "30", "--late-rate", "0.03", "--invalid-rate", "0.02", "--duplicate-rate", "0.03");
        string[] args = ["--input", input, "--checkpoint", folder.PathOf("checkpoint"), "--store", folder.PathOf("store.db"), "--lake", lake, "--trigger", "available-now", "--max-files-per-trigger", "1", "--quiet"];
        var output = await JobCommands.RunAsync(new StreamCommand(), args);
        Assert.Contains("lake events +", output, StringComparison.Ordinal);
        var model = ReferenceModel.Run(ReferenceModel.OneFilePerBatch(EventFiles.InJobOrder(input), CheckpointReader.Batches(folder.PathOf("checkpoint"))));

        var (events, rows) = await LakeReader.ReadAsync(Path.Combine(lake, "events"));
        var ids = rows.Select(r => (string)r["event_id"]!).ToList();
        Assert.True(model.KeptEventIds.Count > 25_000, $"the model keeps {model.KeptEventIds.Count} events");
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(model.KeptEventIds.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.True(model.Of("late").Sum(r => r.Value) > 0, "the data should hold late events, which the raw table keeps");

        // One commit per data batch after the table's creation, each with the query's txn.
        var history = await Clickstream.Delta.Table.DeltaTable.OpenLocal(Path.Combine(lake, "events")).HistoryAsync();
        var streamCommits = history.Where(h => h.Operation == "STREAMING UPDATE").ToList();
        Assert.Equal(5, streamCommits.Count);
        Assert.Equal(streamCommits.Select(c => c.Transaction!.Version).Order(), streamCommits.Select(c => c.Transaction!.Version).Distinct().Order());
        Assert.Single(events.TransactionsByApp);

        // Typed columns equal the input's fields.
        var byId = EventFiles.InJobOrder(input).SelectMany(EventFiles.ReadLines)
            .Select(l => TryParse(l.Bytes))
            .Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("event_id", out var id) && id.ValueKind == JsonValueKind.String)
            .GroupBy(e => e.GetProperty("event_id").GetString()!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var row in rows.Take(2000))
        {
            var source = byId[(string)row["event_id"]!];
            Assert.Equal(source.GetProperty("event_type").GetString(), row["event_type"]);
            Assert.Equal(source.GetProperty("user_id").GetString(), row["user_id"]);
            var time = DateTimeOffset.Parse(source.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture);
            var stored = Assert.IsType<DateTimeOffset>(row["event_time"]);
            Assert.Equal(time.ToUnixTimeMilliseconds(), stored.ToUnixTimeMilliseconds());
            Assert.Equal(DateOnly.FromDateTime(time.UtcDateTime), row["event_date"]);
            if (source.TryGetProperty("price", out var price) && price.ValueKind == JsonValueKind.Number)
            {
                Assert.Equal(price.GetDouble(), row["price"]);
            }

            Assert.StartsWith("{", (string)row["properties"]!, StringComparison.Ordinal);
        }

        // Every invalid line is in the quarantine with the model's reason.
        var (_, quarantine) = await LakeReader.ReadAsync(Path.Combine(lake, "quarantine"));
        Assert.Equal(
            model.Invalid.Select(i => (Encoding.UTF8.GetString(i.Line.Bytes), i.Reason)).Order(),
            quarantine.Select(r => ((string)r["raw_text"]!, (string)r["reason"]!)).Order());
        Assert.All(quarantine, r => Assert.NotNull(r["source_file"]));

        // A second run on the same checkpoint and lake adds nothing.
        await JobCommands.RunAsync(new StreamCommand(), args);
        var (again, rowsAgain) = await LakeReader.ReadAsync(Path.Combine(lake, "events"));
        Assert.Equal(events.Version, again.Version);
        Assert.Equal(ids.Count, rowsAgain.Count);
    }

    private static JsonElement TryParse(byte[] line)
    {
        try
        {
            return JsonDocument.Parse(line).RootElement;
        }
        catch (JsonException)
        {
            return default;
        }
    }

    [Fact]
    public async Task Stream_LakeManifestsWithoutLake_IsAUsageError()
    {
        using var folder = new TempFolder("lake-usage");
        Directory.CreateDirectory(folder.PathOf("input"));
        var e = await Assert.ThrowsAsync<Clickstream.Jobs.Cli.UsageException>(() =>
            JobCommands.TryRunAsync(new StreamCommand(), "--input", folder.PathOf("input"), "--checkpoint", folder.PathOf("c"), "--store", folder.PathOf("s.db"), "--lake-manifests"));
        Assert.Contains("--lake-manifests needs --lake", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_IntoATableWithReorderedAndAppendedColumns_MatchesColumnsByName()
    {
        using var folder = new TempFolder("lake-evolved");
        var input = folder.PathOf("input");
        var lake = folder.PathOf("lake");
        await JobCommands.GenerateAsync("--out", input, "--events", "2000", "--files", "1", "--seed", "9");

        // The table exists already with user_id and session_id swapped and one more (nullable) column at the end.
        var fields = LakeSchemas.Events.Fields.ToList();
        var (u, s) = (fields.FindIndex(f => f.Name == "user_id"), fields.FindIndex(f => f.Name == "session_id"));
        (fields[u], fields[s]) = (fields[s], fields[u]);
        fields.Add(new Clickstream.Delta.Types.StructField("channel", Clickstream.Delta.Types.PrimitiveType.String));
        var table = Clickstream.Delta.Table.DeltaTable.OpenLocal(Path.Combine(lake, "events"));
        await table.CreateIfAbsentAsync(new Clickstream.Delta.Types.StructType(fields), [LakeSchemas.EventsPartition]);

        await JobCommands.RunAsync(new StreamCommand(), "--input", input, "--checkpoint", folder.PathOf("checkpoint"), "--store", folder.PathOf("store.db"), "--lake", lake, "--trigger", "available-now", "--quiet");

        var (_, rows) = await LakeReader.ReadAsync(Path.Combine(lake, "events"));
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.StartsWith("u-", (string)r["user_id"]!, StringComparison.Ordinal));
        Assert.All(rows, r => Assert.True(Guid.TryParse((string)r["session_id"]!, out _), (string)r["session_id"]!));
        Assert.All(rows, r => Assert.Null(r["channel"]));
    }

    [Fact]
    public async Task Stream_LakeOnAnUnsupportedUri_IsAUsageError()
    {
        using var folder = new TempFolder("lake-uri");
        Directory.CreateDirectory(folder.PathOf("input"));
        var e = await Assert.ThrowsAsync<Clickstream.Jobs.Cli.UsageException>(() =>
            JobCommands.TryRunAsync(new StreamCommand(), "--input", folder.PathOf("input"), "--checkpoint", folder.PathOf("c"), "--store", folder.PathOf("s.db"), "--lake", "gs://bucket/lake"));
        Assert.Contains("--lake gs://bucket/lake: unsupported location (use a local path or s3://bucket/prefix)", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.PathOf("s.db")), "nothing may be written for a usage error");
    }
}
