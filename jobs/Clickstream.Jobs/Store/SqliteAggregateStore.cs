using System.Globalization;
using Clickstream.Engine.Sketches;
using Clickstream.Jobs.Streaming;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Clickstream.Jobs.Store;

/// <summary>
/// The aggregate store on SQLite (the embedded default; docs/formats/aggregate-store.md). One row per
/// (metric, window_start, key); <c>key = ''</c> means "no dimension". A batch is applied in one transaction
/// together with the query's last applied batch id, and a batch id at or below it is skipped, so replays after a
/// crash change nothing (exactly-once effect over an at-least-once sink). The reads are SQL aggregates. One
/// connection: one thread at a time.
/// </summary>
internal sealed class SqliteAggregateStore : IAggregateStore
{
    public const int SchemaVersion = 1;

    private readonly SqliteConnection _connection;

    public SqliteAggregateStore(string path, bool readOnly = false)
    {
        Location = Path.GetFullPath(path);
        if (readOnly && !File.Exists(path))
        {
            throw new FileNotFoundException($"aggregate store {path} does not exist (run `clickstream stream` first)", path);
        }

        if (!readOnly && Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir)
        {
            Directory.CreateDirectory(dir);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        };
        _connection = new SqliteConnection(builder.ToString());
        _connection.Open();
        Execute("PRAGMA busy_timeout = 10000;");
        if (!readOnly)
        {
            Execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
            Execute("""
                CREATE TABLE IF NOT EXISTS store_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS aggregates (
                    metric TEXT NOT NULL,
                    window_start INTEGER NOT NULL,
                    window_end INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    value INTEGER NOT NULL,
                    sketch BLOB,
                    batch_id INTEGER NOT NULL,
                    PRIMARY KEY (metric, window_start, key)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS batches (
                    query_id TEXT PRIMARY KEY,
                    last_batch_id INTEGER NOT NULL,
                    committed_at TEXT NOT NULL);
                INSERT OR IGNORE INTO store_meta VALUES ('schema_version', '1');
                """);
        }

        var version = Scalar("SELECT value FROM store_meta WHERE name = 'schema_version'");
        if (version is not null && version.ToString() != SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new InvalidDataException($"aggregate store {path} has schema version {version}; this build reads version {SchemaVersion}");
        }
    }

    public string Kind => "sqlite";

    public string Location { get; }

    internal SqliteConnection Connection => _connection;

    /// <summary>The last batch id applied for <paramref name="queryId"/>, or -1.</summary>
    public long LastBatchId(string queryId)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT last_batch_id FROM batches WHERE query_id = $q";
        cmd.Parameters.AddWithValue("$q", queryId);
        return cmd.ExecuteScalar() is long id ? id : -1;
    }

    /// <inheritdoc />
    /// <remarks>The watermark is not kept: SQLite reads are cheap enough to need no cache.</remarks>
    public bool ApplyBatch(string queryId, long batchId, IReadOnlyList<StoreRow> rows, DateTimeOffset now, long? watermarkMicros) =>
        ApplyBatch(queryId, batchId, rows, now);

    /// <summary>Applies one batch atomically; returns false when the batch was already applied.</summary>
    public bool ApplyBatch(string queryId, long batchId, IReadOnlyList<StoreRow> rows, DateTimeOffset now)
    {
        using var tx = _connection.BeginTransaction();
        if (LastBatchId(queryId) >= batchId)
        {
            return false;
        }

        // Ledger rows arrive one per event: sum them per (metric, window, key) first.
        var absolute = new List<StoreRow>(rows.Count);
        var sums = new Dictionary<(string, long, long, string), long>();
        foreach (var row in rows)
        {
            if (row.Additive)
            {
                var k = (row.Metric, row.WindowStartMicros, row.WindowEndMicros, row.Key ?? string.Empty);
                sums[k] = sums.GetValueOrDefault(k) + row.Value;
            }
            else
            {
                absolute.Add(row);
            }
        }

        var ledger = new List<StoreRow>(sums.Count);
        foreach (var ((metric, start, end, key), value) in sums)
        {
            ledger.Add(new StoreRow(metric, start, end, key, value, null, true));
        }

        Upsert(absolute, batchId, "value = excluded.value, sketch = excluded.sketch");
        Upsert(ledger, batchId, "value = value + excluded.value");

        using var mark = _connection.CreateCommand();
        mark.Transaction = tx;
        mark.CommandText = """
            INSERT INTO batches (query_id, last_batch_id, committed_at) VALUES ($q, $b, $t)
            ON CONFLICT (query_id) DO UPDATE SET last_batch_id = excluded.last_batch_id, committed_at = excluded.committed_at
            """;
        mark.Parameters.AddWithValue("$q", queryId);
        mark.Parameters.AddWithValue("$b", batchId);
        mark.Parameters.AddWithValue("$t", now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        mark.ExecuteNonQuery();
        tx.Commit();
        return true;
    }

    public StoreBatchInfo? NewestBatch()
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT last_batch_id, committed_at FROM batches ORDER BY committed_at DESC LIMIT 1";
        using var r = cmd.ExecuteReader();
        return r.Read()
            ? new StoreBatchInfo(r.GetInt64(0), DateTimeOffset.Parse(r.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal))
            : null;
    }

    public long? NewestWindowEnd()
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT max(window_end) FROM aggregates WHERE metric = $m";
        cmd.Parameters.AddWithValue("$m", Metric.Events);
        return cmd.ExecuteScalar() is long v ? v : null;
    }

    public IReadOnlyDictionary<string, List<(string Key, long Value)>> SumsByKey(long fromMicros, long toMicros)
    {
        var byMetric = new Dictionary<string, List<(string Key, long Value)>>(StringComparer.Ordinal);
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            SELECT metric, key, sum(value) FROM aggregates
            WHERE window_start >= $f AND window_end <= $t AND metric <> $au
            GROUP BY metric, key
            """;
        cmd.Parameters.AddWithValue("$f", fromMicros);
        cmd.Parameters.AddWithValue("$t", toMicros);
        cmd.Parameters.AddWithValue("$au", Metric.ActiveUsers);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var metric = r.GetString(0);
            if (!byMetric.TryGetValue(metric, out var list))
            {
                byMetric[metric] = list = [];
            }

            list.Add((r.GetString(1), r.GetInt64(2)));
        }

        return byMetric;
    }

    public long ActiveUsers(long fromMicros, long toMicros)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT sketch FROM aggregates WHERE metric = $m AND window_start >= $f AND window_end <= $t AND sketch IS NOT NULL";
        cmd.Parameters.AddWithValue("$m", Metric.ActiveUsers);
        cmd.Parameters.AddWithValue("$f", fromMicros);
        cmd.Parameters.AddWithValue("$t", toMicros);
        using var r = cmd.ExecuteReader();
        HyperLogLog? union = null;
        while (r.Read())
        {
            var sketch = HyperLogLog.FromBytes((byte[])r.GetValue(0));
            if (union is null)
            {
                union = sketch;
            }
            else
            {
                union.Merge(sketch);
            }
        }

        return union?.Estimate() ?? 0;
    }

    public IReadOnlyDictionary<long, long> EventsPerWindow(long fromMicros, long toMicros)
    {
        var counts = new Dictionary<long, long>();
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            SELECT window_start, sum(value) FROM aggregates
            WHERE metric = $m AND window_start >= $f AND window_end <= $t
            GROUP BY window_start
            """;
        cmd.Parameters.AddWithValue("$m", Metric.Events);
        cmd.Parameters.AddWithValue("$f", fromMicros);
        cmd.Parameters.AddWithValue("$t", toMicros);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            counts[r.GetInt64(0)] = r.GetInt64(1);
        }

        return counts;
    }

    public StoreTotals Totals(long fromMicros, long toMicros)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            SELECT metric, sum(value) FROM aggregates
            WHERE metric IN ($e, $d, $i, $l) AND window_start >= $f AND window_end <= $t
            GROUP BY metric
            """;
        cmd.Parameters.AddWithValue("$e", Metric.Events);
        cmd.Parameters.AddWithValue("$d", Metric.Duplicates);
        cmd.Parameters.AddWithValue("$i", Metric.Invalid);
        cmd.Parameters.AddWithValue("$l", Metric.Late);
        cmd.Parameters.AddWithValue("$f", fromMicros);
        cmd.Parameters.AddWithValue("$t", toMicros);
        long events = 0, duplicates = 0, invalid = 0, late = 0;
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var value = r.GetInt64(1);
            switch (r.GetString(0))
            {
                case Metric.Events: events = value; break;
                case Metric.Duplicates: duplicates = value; break;
                case Metric.Invalid: invalid = value; break;
                default: late = value; break;
            }
        }

        return new StoreTotals(events, duplicates, invalid, late);
    }

    public IEnumerable<AggregateRecord> All()
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT metric, window_start, window_end, key, value FROM aggregates ORDER BY metric, window_start, key";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var key = r.GetString(3);
            yield return new AggregateRecord(r.GetString(0), r.GetInt64(1), r.GetInt64(2), key.Length == 0 ? null : key, r.GetInt64(4));
        }
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>
    /// Upserts rows through one prepared statement with positional binding on the connection's own SQLite handle
    /// (inside the ADO.NET transaction): binding parameters by name per row cost most of the store's time.
    /// </summary>
    private void Upsert(List<StoreRow> rows, long batchId, string onConflict)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var db = _connection.Handle!;
        var sql = "INSERT INTO aggregates (metric, window_start, window_end, key, value, sketch, batch_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
            + "ON CONFLICT (metric, window_start, key) DO UPDATE SET " + onConflict + ", batch_id = excluded.batch_id";
        Check(raw.sqlite3_prepare_v2(db, sql, out var stmt), db);
        using (stmt)
        {
            foreach (var row in rows)
            {
                Check(raw.sqlite3_bind_text(stmt, 1, row.Metric), db);
                Check(raw.sqlite3_bind_int64(stmt, 2, row.WindowStartMicros), db);
                Check(raw.sqlite3_bind_int64(stmt, 3, row.WindowEndMicros), db);
                Check(raw.sqlite3_bind_text(stmt, 4, row.Key ?? string.Empty), db);
                Check(raw.sqlite3_bind_int64(stmt, 5, row.Value), db);
                Check(row.Sketch is { } sketch ? raw.sqlite3_bind_blob(stmt, 6, sketch) : raw.sqlite3_bind_null(stmt, 6), db);
                Check(raw.sqlite3_bind_int64(stmt, 7, batchId), db);
                if (raw.sqlite3_step(stmt) != raw.SQLITE_DONE)
                {
                    throw new SqliteException($"aggregate store write failed: {raw.sqlite3_errmsg(db).utf8_to_string()}", raw.sqlite3_errcode(db));
                }

                raw.sqlite3_reset(stmt);
            }
        }
    }

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException($"aggregate store write failed: {raw.sqlite3_errmsg(db).utf8_to_string()}", rc);
        }
    }

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        try
        {
            return cmd.ExecuteScalar();
        }
        catch (SqliteException)
        {
            return null;
        }
    }
}
