using System.Globalization;
using System.Text.Json;
using Clickstream.Jobs.Cli;
using Clickstream.Jobs.Store;
using Clickstream.Udfs;

namespace Clickstream.Jobs.Report;

/// <summary><c>clickstream metrics</c>: the dashboard's view of a time range, as a table or JSON.</summary>
internal sealed class MetricsCommand : ICommand
{
    private const long FiveMinutesMicros = 5 * 60_000_000L;

    public string Name => "metrics";

    public string Summary => "show the dashboard metrics of a time range (default: last 5 minutes of event time)";

    public IReadOnlySet<string> Flags { get; } = new HashSet<string>(StringComparer.Ordinal);

    public string Usage => """
        usage: clickstream metrics --store FILE|dynamodb://TABLE [--from ISO] [--to ISO] [--format table|json]

        Active users (distinct over the whole range), page views by category, the conversion funnel with
        step-to-step conversion, the top 10 products, and the event, duplicate, invalid and late counts, over the
        one-minute windows that lie entirely inside [from, to).

          --store LOC        the aggregate store written by `clickstream stream`: a SQLite file or dynamodb://TABLE
          --from ISO         range start (default: --to minus 5 minutes)
          --to ISO           range end, exclusive (default: the end of the newest event window)
          --format F         table (default) or json
        """;

    public Task<int> RunAsync(CommandLine args, TextWriter output, CancellationToken cancellationToken)
    {
        var location = args.RequiredString("store");
        var from = args.Instant("from");
        var to = args.Instant("to");
        var format = args.String("format") ?? "table";
        args.EnsureAllUsed();
        if (format is not ("table" or "json"))
        {
            throw new UsageException($"--format must be table or json, got '{format}'");
        }

        using var store = ExportCommand.OpenStore(location, cancellationToken);
        var toMicros = to is { } t ? ToMicros(t) : StoreQueries.NewestWindowEnd(store) ?? 0;
        var fromMicros = from is { } f ? ToMicros(f) : toMicros - FiveMinutesMicros;
        if (fromMicros >= toMicros)
        {
            throw new UsageException($"the range is empty: --from {Iso8601.FormatMicros(fromMicros)} is not before --to {Iso8601.FormatMicros(toMicros)}");
        }

        var view = StoreQueries.View(store, fromMicros, toMicros);
        if (format == "json")
        {
            WriteJson(view, output);
        }
        else
        {
            WriteTable(view, output);
        }

        return Task.FromResult(0);
    }

    private static long ToMicros(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static void WriteTable(DashboardView v, TextWriter o)
    {
        var c = CultureInfo.InvariantCulture;
        o.WriteLine($"Range            {Iso8601.FormatMicros(v.FromMicros)} → {Iso8601.FormatMicros(v.ToMicros)}");
        o.WriteLine(string.Create(c, $"Active users     {v.ActiveUsers:N0}"));
        o.WriteLine(string.Create(c, $"Events           {v.Events:N0}   duplicates {v.Duplicates:N0}   invalid {v.Invalid:N0}   late {v.Late:N0}"));
        o.WriteLine();
        o.WriteLine("Page views by category");
        foreach (var (key, value) in v.PageViewsByCategory)
        {
            o.WriteLine(string.Create(c, $"  {key,-20} {value,10:N0}"));
        }

        o.WriteLine();
        o.WriteLine("Conversion funnel (sessions reaching each step; conversion from the previous step)");
        foreach (var (step, sessions, conversion) in v.Funnel)
        {
            var rate = conversion is { } r ? r.ToString("P1", c) : string.Empty;
            o.WriteLine(string.Create(c, $"  {step,-20} {sessions,10:N0} {rate,9}"));
        }

        o.WriteLine();
        o.WriteLine("Top 10 products viewed");
        var rank = 1;
        foreach (var (key, value) in v.TopProducts)
        {
            o.WriteLine(string.Create(c, $"  {rank++,2}. {key,-16} {value,10:N0}"));
        }

        o.WriteLine();
        o.WriteLine("Events by type");
        foreach (var (key, value) in v.EventsByType)
        {
            o.WriteLine(string.Create(c, $"  {key,-20} {value,10:N0}"));
        }
    }

    private static void WriteJson(DashboardView v, TextWriter o)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("from", Iso8601.FormatMicros(v.FromMicros));
            w.WriteString("to", Iso8601.FormatMicros(v.ToMicros));
            w.WriteNumber("active_users", v.ActiveUsers);
            w.WriteNumber("events", v.Events);
            w.WriteNumber("duplicates", v.Duplicates);
            w.WriteNumber("invalid", v.Invalid);
            w.WriteNumber("late", v.Late);
            WritePairs(w, "page_views_by_category", "category", "views", v.PageViewsByCategory);
            w.WriteStartArray("funnel");
            foreach (var (step, sessions, conversion) in v.Funnel)
            {
                w.WriteStartObject();
                w.WriteString("step", step);
                w.WriteNumber("sessions", sessions);
                if (conversion is { } r)
                {
                    w.WriteNumber("conversion_from_previous", Math.Round(r, 4));
                }
                else
                {
                    w.WriteNull("conversion_from_previous");
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            WritePairs(w, "top_products", "product_id", "views", v.TopProducts);
            WritePairs(w, "events_by_type", "event_type", "events", v.EventsByType);
            w.WriteEndObject();
        }

        o.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WritePairs(Utf8JsonWriter w, string name, string keyName, string valueName, IReadOnlyList<(string Key, long Value)> rows)
    {
        w.WriteStartArray(name);
        foreach (var (key, value) in rows)
        {
            w.WriteStartObject();
            w.WriteString(keyName, key);
            w.WriteNumber(valueName, value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
