using System.Globalization;
using Clickstream.Delta.Log;
using Clickstream.Delta.Parquet;
using Clickstream.Delta.Table;
using Clickstream.Delta.Types;

namespace Clickstream.Jobs.RawTables;

/// <summary>
/// Appends one micro-batch to a Delta table exactly once: data files first (unique names, invisible until
/// committed), then one commit holding their <c>add</c>s and <c>txn{appId: query id, version: batch id}</c>. A batch
/// the table already holds (a replay after a crash) is skipped before anything is written. Concurrent appends by
/// other writers are retried by the transaction; a concurrent metadata change (e.g. a column added) re-reads the
/// table and commits again.
/// </summary>
internal sealed class LakeTableWriter
{
    private const int MetadataRetries = 3;
    private readonly StructType _schema;
    private readonly IReadOnlyList<string> _partitionColumns;
    private readonly IReadOnlyDictionary<string, string> _properties;

    public LakeTableWriter(DeltaTable table, StructType schema, string partitionColumn, IReadOnlyDictionary<string, string> properties, DataFileWriterOptions fileOptions)
    {
        Table = table;
        _schema = schema;
        _partitionColumns = [partitionColumn];
        _properties = properties;
        FileOptions = fileOptions;
    }

    public DeltaTable Table { get; }

    public DataFileWriterOptions FileOptions { get; }

    /// <summary>The query id, used as the application id of every commit; set once the query has started.</summary>
    public string? AppId { get; set; }

    public long BatchesSkipped { get; private set; }

    public long FilesWritten { get; private set; }

    public long BytesWritten { get; private set; }

    public long RowsWritten { get; private set; }

    /// <summary>The last failure after a commit (manifests, checkpoint); the commits themselves stood.</summary>
    public string? PostCommitWarning { get; private set; }

    /// <summary>
    /// Creates the table if needed and returns its latest snapshot. An existing table must hold every column of the
    /// job with the same type; columns it has beyond those (appended later, nullable) are written as null.
    /// </summary>
    public Snapshot Open()
    {
        var snapshot = Table.CreateIfAbsentAsync(_schema, _partitionColumns, _properties).GetAwaiter().GetResult();
        CheckCompatible(snapshot);
        return snapshot;
    }

    /// <summary>The latest snapshot, or null when the batch is already in the table.</summary>
    public Snapshot? SnapshotFor(long batchId)
    {
        var snapshot = Table.GetSnapshotAsync().GetAwaiter().GetResult();
        if (snapshot.TransactionVersion(RequireAppId()) is { } done && done >= batchId)
        {
            BatchesSkipped++;
            return null;
        }

        return snapshot;
    }

    /// <summary>
    /// Writes one data file of the partition whose value is <paramref name="partitionValue"/>. <paramref name="columns"/>
    /// follow the job's schema; they are matched to the table's columns by name. Thread-safe.
    /// </summary>
    public AddAction WriteFile(Snapshot snapshot, string? partitionValue, IReadOnlyList<ColumnVector> columns)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal) { [_partitionColumns[0]] = partitionValue };
        var jobData = DataFiles.DataSchema(_schema, _partitionColumns);
        var tableData = DataFiles.DataSchema(snapshot);
        var rows = columns.Count > 0 ? columns[0].Length : 0;
        var ordered = new ColumnVector[tableData.Fields.Count];
        for (var i = 0; i < ordered.Length; i++)
        {
            var field = tableData.Fields[i];
            var j = jobData.IndexOf(field.Name);
            ordered[i] = j >= 0 ? columns[j] : NullVector(field, rows);
        }

        return DataFiles.WriteAsync(Table, snapshot, values, ordered, FileOptions).GetAwaiter().GetResult();
    }

    /// <summary>Commits the batch's files with its <c>txn</c>.</summary>
    public void Commit(Snapshot snapshot, long batchId, IReadOnlyList<AddAction> files, long rows)
    {
        var appId = RequireAppId();
        for (var attempt = 0; ; attempt++)
        {
            var txn = Table.StartTransaction(snapshot);
            txn.Operation = "STREAMING UPDATE";
            txn.WithParameter("outputMode", "Append")
                .WithParameter("queryId", appId)
                .WithParameter("epochId", batchId.ToString(CultureInfo.InvariantCulture))
                .WithMetric("numOutputRows", rows)
                .SetApplicationTransaction(appId, batchId);
            foreach (var f in files)
            {
                txn.Add(f);
            }

            try
            {
                var result = txn.CommitAsync().GetAwaiter().GetResult();
                if (result.AlreadyCommitted)
                {
                    BatchesSkipped++;
                    return;
                }

                if (result.PostCommitFailure is { } failure)
                {
                    PostCommitWarning = $"{Table.Name} version {result.Version}: {failure.Message}";
                }

                FilesWritten += files.Count;
                BytesWritten += files.Sum(f => f.Size);
                RowsWritten += rows;
                return;
            }
            catch (ConcurrentModificationException) when (attempt < MetadataRetries)
            {
                snapshot = Table.GetSnapshotAsync().GetAwaiter().GetResult();
                if (snapshot.TransactionVersion(appId) is { } done && done >= batchId)
                {
                    BatchesSkipped++;
                    return;
                }
            }
        }
    }

    private void CheckCompatible(Snapshot snapshot)
    {
        foreach (var field in _schema.Fields)
        {
            if (snapshot.Schema.Find(field.Name) is not { } existing || !existing.Type.Equals(field.Type))
            {
                throw new InvalidOperationException($"{Table.Name}: the table has no column {field.Name} {field.Type}; it was not created by this job");
            }
        }

        foreach (var extra in DataFiles.DataSchema(snapshot).Fields.Where(f => _schema.Find(f.Name) is null))
        {
            if (!extra.Nullable)
            {
                throw new InvalidOperationException($"{Table.Name}: column {extra.Name} is not nullable and this job has no value for it");
            }

            _ = NullVector(extra, 0);
        }
    }

    /// <summary>A column of nulls for a table column this job does not fill (one appended after the job was built).</summary>
    private ColumnVector NullVector(StructField field, int rows)
    {
        var nulls = Enumerable.Repeat(true, rows).ToArray();
        return field.Type switch
        {
            PrimitiveType { Name: "string" } => new StringVector(new string?[rows]),
            PrimitiveType { Name: "long" } => new LongVector(new long[rows], nulls),
            PrimitiveType { Name: "integer" } => new IntegerVector(new int[rows], nulls),
            PrimitiveType { Name: "double" } => new DoubleVector(new double[rows], nulls),
            PrimitiveType { Name: "float" } => new FloatVector(new float[rows], nulls),
            PrimitiveType { Name: "boolean" } => new BooleanVector(new bool[rows], nulls),
            PrimitiveType { Name: "date" } => new DateVector(new int[rows], nulls),
            PrimitiveType { Name: "timestamp" } => new TimestampVector(new long[rows], nulls),
            _ => throw new InvalidOperationException($"{Table.Name}: column {field.Name} has type {field.Type}, which this job cannot write (not even as null)"),
        };
    }

    private string RequireAppId() => AppId ?? throw new InvalidOperationException("the lake writer needs the query id before the first batch");
}
