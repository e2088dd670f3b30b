using Clickstream.Jobs.Streaming;
using Microsoft.Data.Sqlite;

namespace Clickstream.Jobs.Store;

/// <summary>
/// The aggregate store on SQLite (the embedded default; docs/formats/aggregate-store.md). One row per
/// (metric, window_start, key); <c>key = ''</c> means "no dimension". A batch is applied in one transaction
/// together with the query's last applied batch id, and a batch id at or below it is skipped, so replays after a
/// crash change nothing (exactly-once effect over an at-least-once sink).
/// </summary>
internal sealed class AggregateStore : IDisposable
{
    public const int SchemaVersion = 1;

    private readonly SqliteConnection _connection;

    public AggregateStore(string path, bool readOnly = false)
    {
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

    internal SqliteConnection Connection => _connection;

    /// <summary>The last batch id applied for <paramref name="queryId"/>, or -1.</summary>
    public long LastBatchId(string queryId)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT last_batch_id FROM batches WHERE query_id = $q";
        cmd.Parameters.AddWithValue("$q", queryId);
        return cmd.ExecuteScalar() is long id ? id : -1;
    }

    /// <summary>Applies one batch atomically; returns false when the batch was already applied.</summary>
    public bool ApplyBatch(string queryId, long batchId, IReadOnlyList<StoreRow> rows, DateTimeOffset now)
    {
        using var tx = _connection.BeginTransaction();
        if (LastBatchId(queryId) >= batchId)
        {
            return false;
        }

        using var absolute = _connection.CreateCommand();
        absolute.Transaction = tx;
        absolute.CommandText = """
            INSERT INTO aggregates (metric, window_start, window_end, key, value, sketch, batch_id)
            VALUES ($m, $s, $e, $k, $v, $sk, $b)
            ON CONFLICT (metric, window_start, key) DO UPDATE SET value = excluded.value, sketch = excluded.sketch, batch_id = excluded.batch_id
            """;
        using var additive = _connection.CreateCommand();
        additive.Transaction = tx;
        additive.CommandText = """
            INSERT INTO aggregates (metric, window_start, window_end, key, value, sketch, batch_id)
            VALUES ($m, $s, $e, $k, $v, $sk, $b)
            ON CONFLICT (metric, window_start, key) DO UPDATE SET value = value + excluded.value, batch_id = excluded.batch_id
            """;
        var a = Bind(absolute);
        var d = Bind(additive);

        // Ledger rows arrive one per event: sum them per (metric, window, key) first.
        var sums = new Dictionary<(string, long, long, string), long>();
        foreach (var row in rows)
        {
            var key = row.Key ?? string.Empty;
            if (row.Additive)
            {
                var k = (row.Metric, row.WindowStartMicros, row.WindowEndMicros, key);
                sums[k] = sums.GetValueOrDefault(k) + row.Value;
                continue;
            }

            Set(a, row.Metric, row.WindowStartMicros, row.WindowEndMicros, key, row.Value, batchId);
            a[5].Value = (object?)row.Sketch ?? DBNull.Value;
            absolute.ExecuteNonQuery();
        }

        foreach (var ((metric, start, end, key), value) in sums)
        {
            Set(d, metric, start, end, key, value, batchId);
            additive.ExecuteNonQuery();
        }

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

    public void Dispose() => _connection.Dispose();

    private static SqliteParameter[] Bind(SqliteCommand cmd)
    {
        var ps = new SqliteParameter[7];
        var i = 0;
        foreach (var n in new[] { "$m", "$s", "$e", "$k", "$v", "$sk", "$b" })
        {
            ps[i++] = cmd.Parameters.Add(new SqliteParameter(n, DBNull.Value));
        }

        cmd.Prepare();
        return ps;
    }

    private static void Set(SqliteParameter[] p, string metric, long start, long end, string key, long value, long batchId)
    {
        p[0].Value = metric;
        p[1].Value = start;
        p[2].Value = end;
        p[3].Value = key;
        p[4].Value = value;
        p[6].Value = batchId;
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
