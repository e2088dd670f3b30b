using System.Diagnostics;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;

namespace Clickstream.Benchmarks.EndToEnd;

/// <summary>
/// The comparison: DuckDB (embedded through DuckDB.NET, <c>:memory:</c>, all cores) doing the job's work on the
/// same NDJSON files, each result materialised as a table. The harness runs it as a child process
/// (<c>Clickstream.Benchmarks duckdb-baseline --input DIR</c>) so that its wall time and peak memory are measured
/// exactly like the job's.
/// </summary>
/// <remarks>
/// Semantics, kept as close to the job as SQL allows:
/// <list type="bullet">
/// <item>Only the seven columns the job reads are parsed (as VARCHAR); <c>ignore_errors</c> turns a malformed
/// line into a row of NULLs, which the validity filter then drops.</item>
/// <item>Valid = the five required fields are non-empty strings and <c>timestamp</c> casts to TIMESTAMPTZ and
/// ends in a zone (<c>Z</c> or an offset); DuckDB would otherwise accept a zoneless time the job rejects.</item>
/// <item>Dedup keeps the first occurrence of each <c>event_id</c> in file and line order, with the line number
/// from <c>row_number() OVER ()</c> over the scan (insertion order is preserved, files are listed in name order).
/// <c>--dedup any</c> keeps an arbitrary occurrence instead: cheaper, and the same result when retries are
/// byte-identical copies, as the generator's are.</item>
/// <item>Per one-minute window: events by type; page views by category (<c>(none)</c> when absent); product views
/// by product id; distinct users with <c>approx_count_distinct</c> (HyperLogLog, like the job's sketch).</item>
/// <item>The funnel is approximated: per session, the first event of each funnel step type, counted in that
/// event's minute. The job also requires the steps in order; that needs a sequential scan per session.</item>
/// <item>Not done: the late/duplicate/invalid ledger, the quarantine file, checkpoints and the SQLite store.</item>
/// </list>
/// After the timed pipeline it also times a bare scan (<c>count(*)</c> over the same seven columns) as a
/// reference for how fast DuckDB reads the files at all; that is reported separately and not added in.
/// </remarks>
internal static class DuckDbBaseline
{
    public const string ChildMode = "duckdb-baseline";

    private const string ResultPrefix = "RESULT ";

    public static int RunAsChild(string[] args)
    {
        var firstOccurrence = args.Length == 2 || (args.Length == 4 && args[2] == "--dedup" && args[3] == "first");
        var valid = args.Length >= 2 && args[0] == "--input" && Directory.Exists(args[1])
            && (firstOccurrence || (args.Length == 4 && args[2] == "--dedup" && args[3] == "any"));
        if (!valid)
        {
            Console.Error.WriteLine($"usage: Clickstream.Benchmarks {ChildMode} --input DIR [--dedup first|any]");
            return 2;
        }

        var files = Directory.GetFiles(args[1], "events-*.ndjson");
        Array.Sort(files, StringComparer.Ordinal);
        if (files.Length == 0)
        {
            Console.Error.WriteLine($"{args[1]} holds no events-*.ndjson files");
            return 2;
        }

        var total = Stopwatch.StartNew();
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DuckDB {Scalar(connection, "SELECT version()")}, {Scalar(connection, "SELECT current_setting('threads')")} threads, opened in {total.ElapsedMilliseconds} ms"));
        Execute(connection, "SET TimeZone = 'UTC'");

        var list = FileList(files);
        foreach (var (name, sql) in Statements(list, firstOccurrence))
        {
            var clock = Stopwatch.StartNew();
            Execute(connection, sql);
            var table = sql["CREATE TABLE ".Length..sql.IndexOf(' ', "CREATE TABLE ".Length)];
            var rows = Scalar(connection, $"SELECT count(*) FROM {table}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-44} {clock.ElapsedMilliseconds,7:N0} ms  {Convert.ToInt64(rows, CultureInfo.InvariantCulture),10:N0} rows"));
        }

        var events = Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM events"), CultureInfo.InvariantCulture);
        var ms = total.ElapsedMilliseconds;

        var scan = Stopwatch.StartNew();
        var lines = Convert.ToInt64(Scalar(connection, $"SELECT count(*) FROM {ReadFiles(list)}"), CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"(reference, not timed above) bare scan",-44} {scan.ElapsedMilliseconds,7:N0} ms  {lines,10:N0} lines"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ResultPrefix}events={events} ms={ms} scan_ms={scan.ElapsedMilliseconds}"));
        return 0;
    }

    /// <summary>Reads the child's <c>RESULT</c> line: distinct valid events, pipeline milliseconds, bare-scan milliseconds.</summary>
    public static Result? ParseResult(IReadOnlyList<string> output)
    {
        foreach (var line in output)
        {
            if (!line.StartsWith(ResultPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var values = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var part in line[ResultPrefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = part.Split('=', 2);
                if (kv.Length == 2 && long.TryParse(kv[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
                {
                    values[kv[0]] = v;
                }
            }

            return values.TryGetValue("events", out var events) && values.TryGetValue("ms", out var ms) && values.TryGetValue("scan_ms", out var scan)
                ? new Result(events, ms, scan)
                : null;
        }

        return null;
    }

    private static string FileList(string[] files)
    {
        var list = new StringBuilder("[");
        for (var i = 0; i < files.Length; i++)
        {
            list.Append(i == 0 ? "'" : ", '").Append(files[i].Replace("'", "''", StringComparison.Ordinal)).Append('\'');
        }

        return list.Append(']').ToString();
    }

    /// <summary>The scan of the seven columns the job reads; a malformed line becomes a row of NULLs.</summary>
    private static string ReadFiles(string list) => $$"""
        read_ndjson({{list}},
            columns = {event_id: 'VARCHAR', event_type: 'VARCHAR', "timestamp": 'VARCHAR', user_id: 'VARCHAR',
                       session_id: 'VARCHAR', category: 'VARCHAR', product_id: 'VARCHAR'},
            format = 'newline_delimited', ignore_errors = true)
        """;

    private static List<(string Name, string Sql)> Statements(string list, bool firstOccurrence)
    {
        var lineNumber = firstOccurrence ? ", row_number() OVER () AS line" : string.Empty;
        var order = firstOccurrence ? " ORDER BY line" : string.Empty;
        const string Minute = "time_bucket(INTERVAL 1 minute, ts)";
        return
        [
            (firstOccurrence ? "load + validate + dedup (first) → events" : "load + validate + dedup (any) → events", $$"""
                CREATE TABLE events AS
                SELECT event_id, event_type, ts, user_id, session_id, category, product_id
                FROM (SELECT *, try_cast("timestamp" AS TIMESTAMPTZ) AS ts{{lineNumber}} FROM {{ReadFiles(list)}})
                WHERE event_id <> '' AND event_type <> '' AND user_id <> '' AND session_id <> ''
                  AND ts IS NOT NULL AND regexp_matches("timestamp", '(Z|[+-]\d\d(:?\d\d)?)$')
                QUALIFY row_number() OVER (PARTITION BY event_id{{order}}) = 1
                """),
            ("events by type per minute", $$"""
                CREATE TABLE events_by_type AS
                SELECT {{Minute}} AS window_start, event_type, count(*) AS n FROM events GROUP BY ALL
                """),
            ("page views by category per minute", $$"""
                CREATE TABLE page_views AS
                SELECT {{Minute}} AS window_start, coalesce(nullif(category, ''), '(none)') AS category, count(*) AS n
                FROM events WHERE event_type = 'page_view' GROUP BY ALL
                """),
            ("product views by product per minute", $$"""
                CREATE TABLE top_products AS
                SELECT {{Minute}} AS window_start, product_id, count(*) AS n
                FROM events WHERE event_type = 'product_view' AND product_id <> '' GROUP BY ALL
                """),
            ("distinct users per minute (HLL)", $$"""
                CREATE TABLE active_users AS
                SELECT {{Minute}} AS window_start, approx_count_distinct(user_id) AS users FROM events GROUP BY ALL
                """),
            ("funnel steps per minute (approximation)", """
                CREATE TABLE funnel AS
                SELECT time_bucket(INTERVAL 1 minute, first_ts) AS window_start, event_type AS step, count(*) AS n
                FROM (
                    SELECT session_id, event_type, min(ts) AS first_ts FROM events
                    WHERE event_type IN ('page_view', 'product_view', 'add_to_cart', 'checkout_start', 'purchase')
                    GROUP BY ALL)
                GROUP BY ALL
                """),
        ];
    }

    /// <summary>What the child reports.</summary>
    /// <param name="Events">Rows in the deduplicated <c>events</c> table.</param>
    /// <param name="Ms">The timed part: connection open + every statement.</param>
    /// <param name="ScanMs">The reference bare scan, run afterwards.</param>
    public sealed record Result(long Events, long Ms, long ScanMs);

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
