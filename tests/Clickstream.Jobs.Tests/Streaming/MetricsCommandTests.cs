using System.Text.Json;
using Clickstream.Jobs.Tests.Support;
using static Clickstream.Jobs.Tests.Support.EventJson;

namespace Clickstream.Jobs.Tests.Streaming;

/// <summary>
/// <c>clickstream metrics --format json</c> against the export of the same store: every number is a sum of export
/// rows over the windows entirely inside [from, to), the funnel conversion is step k / step k−1, and rankings are
/// by value descending, then key ascending.
/// </summary>
public sealed class MetricsCommandTests(GeneratedStoreFixture store) : IClassFixture<GeneratedStoreFixture>
{
    private const long FiveMinutesMicros = 5 * ExportRow.MinuteMicros;

    [Fact]
    public async Task Metrics_DefaultRange_EqualsSumsOfExportOverLastFiveMinutes()
    {
        var to = store.Export.Where(r => r.Metric == "events").Max(r => r.WindowEndMicros);

        var json = await JobCommands.MetricsAsync("--store", store.Store, "--format", "json");

        AssertSums(json, to - FiveMinutesMicros, to);
    }

    [Fact]
    public async Task Metrics_FromToRange_EqualsSumsOfExportRowsInsideRange()
    {
        // The range ends mid-window: only windows entirely inside count, so [12:02, 12:07).
        var json = await JobCommands.MetricsAsync("--store", store.Store, "--format", "json", "--from", "2026-11-01T12:02:00Z", "--to", "2026-11-01T12:07:30Z");

        Assert.Contains(store.Export, r => r.Metric == "events" && r.WindowStartMicros == Micros("12:07"));
        AssertSums(json, Micros("12:02"), Micros("12:07:30"));
    }

    [Fact]
    public async Task Metrics_TopProducts_OrderedByCountThenProductIdAndCutAtTen()
    {
        string View(int i, string product, string minute) => Of($"e-{product}-{i}", "product_view", $"{minute}:{i:D2}", session: $"s-{i}", user: $"u-{i}", product: product);
        string[] counts = ["p-l:1", "p-k:1", "p-b:3", "p-j:1", "p-a:3", "p-i:1", "p-c:5", "p-h:1", "p-d:2", "p-g:1", "p-e:2", "p-f:2", "p-m:1"];
        var lines = new List<string>();
        foreach (var entry in counts)
        {
            var (product, n) = (entry[..3], int.Parse(entry[4..], System.Globalization.CultureInfo.InvariantCulture));
            for (var i = 0; i < n; i++)
            {
                lines.Add(View(lines.Count, product, i % 2 == 0 ? "12:00" : "12:01"));
            }
        }

        using var s = await StreamScenario.RunAsync([.. lines]);
        s.AssertMatchesModel();

        using var doc = JsonDocument.Parse(await JobCommands.MetricsAsync("--store", s.Store, "--format", "json"));

        var top = doc.RootElement.GetProperty("top_products").EnumerateArray().Select(e => (e.GetProperty("product_id").GetString(), e.GetProperty("views").GetInt64())).ToList();
        (string?, long)[] expected = [("p-c", 5), ("p-a", 3), ("p-b", 3), ("p-d", 2), ("p-e", 2), ("p-f", 2), ("p-g", 1), ("p-h", 1), ("p-i", 1), ("p-j", 1)];
        Assert.Equal(expected, top);
    }

    [Fact]
    public async Task Metrics_BadFrom_ExitsWith2AndNamesTheOption()
    {
        var (code, stdout, stderr) = await ClickstreamProgram.RunAsync(TimeSpan.FromMinutes(1), "metrics", "--store", store.Store, "--from", "yesterday", "--format", "json");

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("--from must be an ISO-8601 instant such as 2026-11-01T12:00:00Z, got 'yesterday'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_FromNotBeforeTo_ExitsWith2AndSaysRangeIsEmpty()
    {
        var (code, _, stderr) = await ClickstreamProgram.RunAsync(TimeSpan.FromMinutes(1), "metrics", "--store", store.Store, "--from", "2026-11-01T12:05:00Z", "--to", "2026-11-01T12:05:00Z");

        Assert.Equal(2, code);
        Assert.Contains("the range is empty", stderr, StringComparison.Ordinal);
    }

    private static Func<ExportRow, bool> InRange(long from, long to) => r => r.WindowStartMicros >= from && r.WindowEndMicros <= to;

    private static List<(string Key, long Value)> Ranked(IEnumerable<ExportRow> rows) =>
        [.. rows.GroupBy(r => r.Key!, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Sum(r => r.Value)))
            .OrderByDescending(x => x.Item2)
            .ThenBy(x => x.Key, StringComparer.Ordinal)];

    private static List<(string Key, long Value)> Pairs(JsonElement array, string key, string value) =>
        [.. array.EnumerateArray().Select(e => (e.GetProperty(key).GetString()!, e.GetProperty(value).GetInt64()))];

    private void AssertSums(string json, long from, long to)
    {
        var rows = store.Export.Where(InRange(from, to)).ToList();
        long Total(string metric) => rows.Where(r => r.Metric == metric).Sum(r => r.Value);
        IEnumerable<ExportRow> MetricRows(string metric) => rows.Where(r => r.Metric == metric);
        Assert.True(Total("events") > 1000, "the range should hold plenty of events");
        Assert.True(Total("late") + Total("duplicates") + Total("invalid") > 0, "the range should hold late, duplicate or invalid events");

        using var doc = JsonDocument.Parse(json);
        var m = doc.RootElement;
        Assert.Equal(ExportRow.ParseInstant(m.GetProperty("from").GetString()!), from);
        Assert.Equal(ExportRow.ParseInstant(m.GetProperty("to").GetString()!), to);
        Assert.Equal(Total("events"), m.GetProperty("events").GetInt64());
        Assert.Equal(Total("duplicates"), m.GetProperty("duplicates").GetInt64());
        Assert.Equal(Total("invalid"), m.GetProperty("invalid").GetInt64());
        Assert.Equal(Total("late"), m.GetProperty("late").GetInt64());
        Assert.Equal(Ranked(MetricRows("page_views")), Pairs(m.GetProperty("page_views_by_category"), "category", "views"));
        Assert.Equal(Ranked(MetricRows("events")), Pairs(m.GetProperty("events_by_type"), "event_type", "events"));
        Assert.Equal(Ranked(MetricRows("top_products")).Take(10), Pairs(m.GetProperty("top_products"), "product_id", "views"));

        var funnel = m.GetProperty("funnel").EnumerateArray().ToList();
        Assert.Equal(ReferenceModel.FunnelSteps, funnel.Select(f => f.GetProperty("step").GetString()));
        long? previous = null;
        foreach (var step in funnel)
        {
            var name = step.GetProperty("step").GetString();
            var sessions = MetricRows("funnel").Where(r => r.Key == name).Sum(r => r.Value);
            Assert.Equal(sessions, step.GetProperty("sessions").GetInt64());
            var conversion = step.GetProperty("conversion_from_previous");
            if (previous is null)
            {
                Assert.Equal(JsonValueKind.Null, conversion.ValueKind);
            }
            else
            {
                Assert.True(previous > 0, "every funnel step should be reached in the range");
                Assert.Equal(Math.Round((double)sessions / previous.Value, 4), conversion.GetDouble(), 1e-9);
            }

            previous = sessions;
        }

        var distinct = store.Expected.UsersByWindow
            .Where(w => w.Key >= from && w.Key + ExportRow.MinuteMicros <= to)
            .SelectMany(w => w.Value)
            .Distinct(StringComparer.Ordinal)
            .Count();
        var activeUsers = m.GetProperty("active_users").GetInt64();
        Assert.True(ExportAssert.WithinEstimateTolerance(distinct, activeUsers), $"active users: {activeUsers}, exact {distinct}");
    }
}
