using System.Globalization;
using System.Text.RegularExpressions;
using Clickstream.Delta.Table;
using Clickstream.Jobs.Streaming;
using Clickstream.Jobs.Tests.Support;
using DuckDB.NET.Data;

namespace Clickstream.Jobs.Tests.RawTables;

/// <summary>
/// The example analysis of docs/analytics.md, run as written through DuckDB over the files our reader resolves for
/// the events table, equals the same figures computed from the rows our own reader returns.
/// </summary>
public sealed partial class AnalyticsDocTests
{
    [Fact]
    public async Task DocumentedFunnelQuery_OnDuckDb_MatchesOurReader()
    {
        using var folder = new TempFolder("analytics");
        var input = folder.PathOf("input");
        var lake = folder.PathOf("lake");
        await JobCommands.GenerateAsync("--out", input, "--events", "20000", "--files", "2", "--seed", "3", "--start", "2025-03-01T22:00:00Z", "--minutes", "240");
        await JobCommands.RunAsync(new StreamCommand(), "--input", input, "--checkpoint", folder.PathOf("checkpoint"), "--store", folder.PathOf("store.db"), "--lake", lake, "--trigger", "available-now", "--quiet");

        var table = DeltaTable.OpenLocal(Path.Combine(lake, "events"));
        var snapshot = await table.GetSnapshotAsync();
        var files = TableReader.LocateFiles(table, snapshot);
        Assert.True(snapshot.FilesByKey.Values.Select(f => f.PartitionValues["event_date"]).Distinct().Count() >= 2, "the data should span two days");

        var sql = DocumentedQuery().Replace("$files", "[" + string.Join(", ", files.Select(f => "'" + f.Replace("'", "''", StringComparison.Ordinal) + "'")) + "]", StringComparison.Ordinal);
        var duck = new List<string>();
        using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                duck.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
            }
        }

        var (_, rows) = await LakeReader.ReadAsync(Path.Combine(lake, "events"));
        var ours = rows
            .GroupBy(r => ((DateOnly)r["event_date"]!, (string)r["session_id"]!))
            .Select(g => (Day: g.Key.Item1, Types: g.Select(r => (string)r["event_type"]!).ToHashSet(StringComparer.Ordinal)))
            .GroupBy(s => s.Day)
            .OrderBy(g => g.Key)
            .Select(g => string.Join("|",
                g.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                g.Count(),
                g.Count(s => s.Types.Contains("page_view")),
                g.Count(s => s.Types.Contains("product_view")),
                g.Count(s => s.Types.Contains("add_to_cart")),
                g.Count(s => s.Types.Contains("purchase"))))
            .ToList();
        Assert.Equal(ours, duck);
        Assert.True(ours.Count >= 2);
    }

    /// <summary>The SQL block that follows the <c>analysis:duckdb</c> marker in docs/analytics.md.</summary>
    private static string DocumentedQuery()
    {
        var doc = File.ReadAllText(Path.Combine(ClickstreamProgram.RepositoryRoot, "docs", "analytics.md"));
        var match = QueryBlock().Match(doc);
        Assert.True(match.Success, "docs/analytics.md has no ```sql block after <!-- analysis:duckdb -->");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"<!-- analysis:duckdb -->\s*```sql\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex QueryBlock();
}
