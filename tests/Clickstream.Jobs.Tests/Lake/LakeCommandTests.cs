using System.Text.Json;
using System.Text.RegularExpressions;
using Clickstream.Delta.Table;

namespace Clickstream.Jobs.Tests.Lake;

/// <summary><c>clickstream lake</c> run as a real process against tables built with the Delta API.</summary>
public sealed class LakeCommandTests
{
    [Fact]
    public async Task Describe_Text_ShowsVersionSchemaPartitionsAndTransactions()
    {
        using var lake = await LakeTable.CreateAsync(new Dictionary<string, string> { ["delta.checkpointInterval"] = "50" });
        await lake.AppendAsync([LakeTable.Day(2), LakeTable.Day(2), LakeTable.Day(1)], ("query-7", 3));
        var id = (await lake.Table.GetSnapshotAsync()).Metadata.Id;

        var stdout = await LakeProgram.RunOkAsync("describe", "--table", lake.Path);

        Assert.Matches(new Regex($@"^Location\s+{Regex.Escape(lake.Path)}$", RegexOptions.Multiline), stdout);
        Assert.Matches(new Regex(@"^Version\s+1 \(committed \d{4}-\d\d-\d\dT", RegexOptions.Multiline), stdout);
        Assert.Matches(new Regex($@"^Table id\s+{id}$", RegexOptions.Multiline), stdout);
        Assert.Matches(new Regex(@"^Protocol\s+reader 1, writer 2$", RegexOptions.Multiline), stdout);
        Assert.Matches(new Regex(@"^Files\s+3 in 2 partitions, 3,000 B \(2\.9 KiB\), 75 records$", RegexOptions.Multiline), stdout);
        Assert.Matches(new Regex(@"^  event_date\s+date\s+yes\s+partition$", RegexOptions.Multiline), stdout);
        Assert.Matches(new Regex(@"^  delta\.checkpointInterval\s+50$", RegexOptions.Multiline), stdout);
        Assert.Matches(new Regex($@"^  event_date={LakeTable.Day(2)}\s+2\s+2,000\s+50$", RegexOptions.Multiline), stdout);
        Assert.Matches(new Regex(@"^  query-7\s+3\s+\d{4}-", RegexOptions.Multiline), stdout);

        // The columns line up: every row of the schema table starts its type at the same offset.
        var schemaRows = stdout.Split('\n').SkipWhile(l => l != "Schema").Skip(1).TakeWhile(l => l.Length > 0).ToList();
        Assert.Equal(4, schemaRows.Count);
        Assert.Single(schemaRows.Skip(1).Select(r => r.IndexOf("  yes", StringComparison.Ordinal)).Distinct());
    }

    [Fact]
    public async Task Files_ListsTheLiveFilesOfAVersion()
    {
        using var lake = await LakeTable.CreateAsync();
        await lake.AppendAsync([LakeTable.Day(2), LakeTable.Day(1)], ("query-7", 1));
        await lake.AppendAsync([LakeTable.Day(1)], ("query-7", 2));
        var snapshot = await lake.Table.GetSnapshotAsync();

        var latest = (await LakeProgram.RunOkAsync("files", "--table", lake.Path)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var first = (await LakeProgram.RunOkAsync("files", "--table", lake.Path, "--version", "1")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(TableReader.LocateFiles(lake.Table, snapshot), latest);
        Assert.Equal(3, latest.Length);
        Assert.Equal(2, first.Length);
        Assert.All(latest, f => Assert.True(File.Exists(f), f));
    }

    [Fact]
    public async Task Describe_Json_IsMachineReadable()
    {
        using var lake = await LakeTable.CreateAsync();
        await lake.AppendAsync([LakeTable.Day(3), LakeTable.Day(1)], ("query-7", 12));

        using var doc = JsonDocument.Parse(await LakeProgram.RunOkAsync("describe", "--table", lake.Path, "--json"));

        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("version").GetInt64());
        Assert.Equal("events", root.GetProperty("name").GetString());
        Assert.Equal(2, root.GetProperty("files").GetInt32());
        Assert.Equal(2000, root.GetProperty("bytes").GetInt64());
        Assert.Equal(50, root.GetProperty("records").GetInt64());
        Assert.Equal(["event_id", "user_id", "event_date"], root.GetProperty("schema").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.True(root.GetProperty("schema")[2].GetProperty("partition").GetBoolean());
        Assert.Equal(["event_date"], root.GetProperty("partition_columns").EnumerateArray().Select(c => c.GetString()));
        var partitions = root.GetProperty("partitions").EnumerateArray().ToList();
        Assert.Equal([LakeTable.Day(3), LakeTable.Day(1)], partitions.Select(p => p.GetProperty("values").GetProperty("event_date").GetString()));
        Assert.All(partitions, p => Assert.Equal(25, p.GetProperty("records").GetInt64()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("latest_checkpoint_version").ValueKind);
        var txn = Assert.Single(root.GetProperty("app_transactions").EnumerateArray());
        Assert.Equal(("query-7", 12L), (txn.GetProperty("app_id").GetString(), txn.GetProperty("version").GetInt64()));
    }

    [Fact]
    public async Task Describe_MissingTable_ExitsWithOneAndCreatesNothing()
    {
        using var lake = await LakeTable.CreateAsync();

        var (code, _, stderr) = await LakeProgram.RunAsync("describe", "--table", lake.Elsewhere);

        Assert.Equal(1, code);
        Assert.Contains($"{lake.Elsewhere} is not a Delta table", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(lake.Elsewhere));
    }

    [Fact]
    public async Task History_NewestFirst_WithLimitAndJson()
    {
        using var lake = await LakeTable.CreateAsync();
        await lake.AppendAsync([LakeTable.Day(1)]);
        await lake.AppendAsync([LakeTable.Day(1), LakeTable.Day(0)], ("query-7", 0));

        var text = await LakeProgram.RunOkAsync("history", "--table", lake.Path);
        using var doc = JsonDocument.Parse(await LakeProgram.RunOkAsync("history", "--table", lake.Path, "--limit", "2", "--json"));

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^version\s+time\s+operation\s+files added\s+removed\s+bytes added\s+parameters$", lines[0]);
        Assert.Matches(@"^\s*2\s+\S+Z\s+WRITE\s+2\s+0\s+2,000\s+txn=query-7:0$", lines[1]);
        Assert.Matches(@"^\s*0\s+\S+Z\s+CREATE TABLE\s+0\s+0\s+0\s+partitionBy=\[""event_date""\]", lines[3]);
        var commits = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal([2L, 1L], commits.Select(c => c.GetProperty("version").GetInt64()));
        Assert.Equal("query-7", commits[0].GetProperty("txn").GetProperty("app_id").GetString());
        Assert.Equal(JsonValueKind.Null, commits[1].GetProperty("txn").ValueKind);
        Assert.Equal(1, commits[1].GetProperty("files_added").GetInt32());
    }

    [Fact]
    public async Task Vacuum_ShortRetentionRefused_ForcedDryRunLists_ThenDeletesOldOrphansOnly()
    {
        using var lake = await LakeTable.CreateAsync();
        var files = await lake.AppendAsync([LakeTable.Day(40), LakeTable.Day(40)]);
        var orphan = lake.FullPath($"event_date={LakeTable.Day(40)}/part-00001-orphan-c000.snappy.parquet");
        await File.WriteAllBytesAsync(orphan, new byte[321]);
        var youngOrphan = lake.FullPath($"event_date={LakeTable.Day(40)}/part-00002-orphan-c000.snappy.parquet");
        await File.WriteAllBytesAsync(youngOrphan, new byte[5]);
        foreach (var path in Directory.EnumerateFiles(lake.Path, "*", SearchOption.AllDirectories).Where(p => p != youngOrphan))
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddDays(-30));
        }

        var refused = await LakeProgram.RunAsync("vacuum", "--table", lake.Path, "--retain", "24h");
        Assert.Equal(1, refused.Code);
        Assert.Contains("refusing to vacuum", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("delta.deletedFileRetentionDuration", refused.Stderr, StringComparison.Ordinal);

        var dryRun = await LakeProgram.RunOkAsync("vacuum", "--table", lake.Path, "--retain", "24h", "--force", "--dry-run");
        Assert.Contains("part-00001-orphan-c000.snappy.parquet", dryRun, StringComparison.Ordinal);
        Assert.DoesNotContain("part-00002-orphan", dryRun, StringComparison.Ordinal);
        Assert.Contains("would delete 1 files, 321 B", dryRun, StringComparison.Ordinal);
        Assert.True(File.Exists(orphan));

        var run = await LakeProgram.RunOkAsync("vacuum", "--table", lake.Path, "--retain", "7d");
        Assert.Contains("deleted 1 files, 321 B", run, StringComparison.Ordinal);
        Assert.Contains("deleted 1 of 1 files", run, StringComparison.Ordinal);
        Assert.False(File.Exists(orphan));
        Assert.True(File.Exists(youngOrphan));
        Assert.All(files, f => Assert.True(File.Exists(lake.FullPath(f.Path))));
        Assert.Equal(2, (await DeltaTable.OpenLocal(lake.Path).GetSnapshotAsync()).FileCount);
    }

    [Theory]
    [InlineData("--retain", "soon")]
    [InlineData("--retain", "-5h")]
    [InlineData("--retain", "")]
    public async Task Vacuum_BadDuration_IsAUsageError(string option, string value)
    {
        using var lake = await LakeTable.CreateAsync();

        var (code, _, stderr) = await LakeProgram.RunAsync("vacuum", "--table", lake.Path, option, value);

        Assert.Equal(2, code);
        Assert.Contains("--retain", stderr, StringComparison.Ordinal);
        Assert.Contains("usage: clickstream lake", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retention_RemovesTheOldDays_AndTheManifestsFollow()
    {
        using var lake = await LakeTable.CreateAsync(new Dictionary<string, string> { ["delta.compatibility.symlinkFormatManifest.enabled"] = "true" });
        await lake.AppendAsync([LakeTable.Day(800), LakeTable.Day(731), LakeTable.Day(730), LakeTable.Day(1)]);
        await LakeProgram.RunOkAsync("manifest", "--table", lake.Path);
        Assert.True(File.Exists(lake.FullPath($"_symlink_format_manifest/event_date={LakeTable.Day(800)}/manifest")));

        var stdout = await LakeProgram.RunOkAsync("retention", "--table", lake.Path, "--days", "730");

        Assert.Contains($"removed 2 files (2,000 B (2.0 KiB), 50 records) of 2 days ({LakeTable.Day(800)} .. {LakeTable.Day(731)}) before {LakeTable.Day(730)} in version 2", stdout, StringComparison.Ordinal);
        Assert.Contains("manifests: 2 deleted", stdout, StringComparison.Ordinal);
        var snapshot = await DeltaTable.OpenLocal(lake.Path).GetSnapshotAsync();
        Assert.Equal([LakeTable.Day(730), LakeTable.Day(1)], snapshot.Files.Select(f => f.PartitionValues["event_date"]).Order(StringComparer.Ordinal));
        Assert.False(Directory.Exists(lake.FullPath($"_symlink_format_manifest/event_date={LakeTable.Day(800)}")));
        Assert.True(File.Exists(lake.FullPath($"_symlink_format_manifest/event_date={LakeTable.Day(730)}/manifest")));

        var again = await LakeProgram.RunOkAsync("retention", "--table", lake.Path, "--days", "730");
        Assert.Contains("nothing to do", again, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("--days", "many")]
    [InlineData("--days", "-1")]
    public async Task Retention_MissingOrBadDays_IsAUsageError(params string[] days)
    {
        using var lake = await LakeTable.CreateAsync();

        var (code, _, stderr) = await LakeProgram.RunAsync(["retention", "--table", lake.Path, .. days]);

        Assert.Equal(2, code);
        Assert.Contains("--days", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifest_WritesAbsolutePathsOfLiveFiles()
    {
        using var lake = await LakeTable.CreateAsync();
        var files = await lake.AppendAsync([LakeTable.Day(2), LakeTable.Day(2), LakeTable.Day(1)]);

        var stdout = await LakeProgram.RunOkAsync("manifest", "--table", lake.Path);

        Assert.Contains("2 manifests written, 0 deleted", stdout, StringComparison.Ordinal);
        Assert.Contains("delta.compatibility.symlinkFormatManifest.enabled is not set", stdout, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(lake.FullPath($"_symlink_format_manifest/event_date={LakeTable.Day(2)}/manifest"));
        Assert.Equal(files.Take(2).Select(f => lake.FullPath(f.Path)).Order(StringComparer.Ordinal), lines);
    }

    [Fact]
    public async Task Optimize_CompactsClosedDaysOnly_AndKeepsEveryRow()
    {
        using var lake = await LakeTable.CreateAsync();
        await lake.AppendRowsAsync(LakeTable.Day(2), [("a", 1), ("b", null), (null, 3)]);
        await lake.AppendRowsAsync(LakeTable.Day(2), [("d", 4)]);
        await lake.AppendRowsAsync(LakeTable.Day(2), [("e", 5), ("f", 6)]);
        await lake.AppendRowsAsync(LakeTable.Day(0), [("g", 7)]);
        await lake.AppendRowsAsync(LakeTable.Day(0), [("h", 8)]);
        var before = await lake.RowsAsync();

        var stdout = await LakeProgram.RunOkAsync("optimize", "--table", lake.Path);

        Assert.Contains($"  event_date={LakeTable.Day(2)}: 3 files", stdout, StringComparison.Ordinal);
        Assert.Contains("compacted 3 files into 1 (6 records) in version 6", stdout, StringComparison.Ordinal);
        var snapshot = await DeltaTable.OpenLocal(lake.Path).GetSnapshotAsync();
        Assert.Equal([(LakeTable.Day(2), 1), (LakeTable.Day(0), 2)], snapshot.Files.GroupBy(f => f.PartitionValues["event_date"]!).Select(g => (g.Key, g.Count())).Order());
        Assert.Equal(before, await lake.RowsAsync());

        var history = await LakeProgram.RunOkAsync("history", "--table", lake.Path, "--limit", "1");
        Assert.Matches(@"\n\s*6\s+\S+Z\s+OPTIMIZE\s+1\s+3\s", history);

        var again = await LakeProgram.RunOkAsync("optimize", "--table", lake.Path);
        Assert.Contains("nothing to compact", again, StringComparison.Ordinal);
        var today = await LakeProgram.RunOkAsync("optimize", "--table", lake.Path, "--date", LakeTable.Day(0), "--target-file-size", "1000000");
        Assert.Contains("compacted 2 files into 1 (2 records)", today, StringComparison.Ordinal);
        Assert.Equal(before, await lake.RowsAsync());
    }

    [Theory]
    [InlineData("--date", "yesterday")]
    [InlineData("--date", "2025-02-30")]
    [InlineData("--target-file-size", "0")]
    [InlineData("--target-file-size", "big")]
    public async Task Optimize_BadDateOrSize_IsAUsageError(string option, string value)
    {
        using var lake = await LakeTable.CreateAsync();

        var (code, _, stderr) = await LakeProgram.RunAsync("optimize", "--table", lake.Path, option, value);

        Assert.Equal(2, code);
        Assert.Contains(option, stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--table", "x")]
    [InlineData("describe", "history", "--table", "x")]
    [InlineData("explode", "--table", "x")]
    public async Task ActionCount_OtherThanOne_IsAUsageError(params string[] args)
    {
        var (code, _, stderr) = await LakeProgram.RunAsync(args);

        Assert.Equal(2, code);
        Assert.Contains("action", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OptionOfAnotherAction_IsAUsageError()
    {
        using var lake = await LakeTable.CreateAsync();

        var (code, _, stderr) = await LakeProgram.RunAsync("describe", "--table", lake.Path, "--retain", "7d");

        Assert.Equal(2, code);
        Assert.Contains("unknown option --retain", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_DescribesEveryAction()
    {
        var stdout = await LakeProgram.RunOkAsync("--help");

        foreach (var action in new[] { "describe", "history", "optimize", "vacuum", "retention", "manifest", "files" })
        {
            Assert.Contains($"  {action} --table DIR", stdout, StringComparison.Ordinal);
        }
    }
}
