using Clickstream.Delta.Log;
using Clickstream.Delta.Parquet;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Table;

/// <summary>
/// Writes one data file of a table: Parquet of the data columns (partition columns stay out of the file, as Spark
/// writes them) under the Hive-style partition directory, with a unique name, and the <c>add</c> action that
/// commits it (exact size, per-file statistics). The file is invisible until a commit adds it.
/// </summary>
public static class DataFiles
{
    /// <summary>The data columns of a table schema: every column except the partition columns, in order.</summary>
    public static StructType DataSchema(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return DataSchema(snapshot.Schema, snapshot.PartitionColumns);
    }

    /// <summary>The data columns of <paramref name="schema"/> given its partition columns.</summary>
    public static StructType DataSchema(StructType schema, IReadOnlyList<string> partitionColumns)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return new StructType(schema.Fields.Where(f => !partitionColumns.Contains(f.Name, StringComparer.OrdinalIgnoreCase)));
    }

    /// <summary>
    /// Writes the file and returns its <c>add</c> action (<paramref name="dataChange"/> false for rewrites such as
    /// compaction). <paramref name="columns"/> follow <see cref="DataSchema(Snapshot)"/>.
    /// </summary>
    public static async Task<AddAction> WriteAsync(
        DeltaTable table,
        Snapshot snapshot,
        IReadOnlyDictionary<string, string?> partitionValues,
        IReadOnlyList<ColumnVector> columns,
        DataFileWriterOptions? options = null,
        bool dataChange = true,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(partitionValues);
        var dataSchema = DataSchema(snapshot);
        var directory = DeltaPaths.PartitionDirectories(snapshot.PartitionColumns, partitionValues);
        var name = $"part-00000-{Guid.NewGuid()}-c000.snappy.parquet";
        var key = directory.Length == 0 ? name : directory + "/" + name;

        // The file goes straight into the store (a temporary file locally, parts on S3), never whole in memory.
        DataFileSummary? summary = null;
        var size = await table.Store.WriteIfAbsentAsync(
            key,
            async (stream, ct) => summary = await DataFileWriter.WriteToAsync(dataSchema, columns, stream, options ?? DataFileWriterOptions.Default, ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false)
            ?? throw new IOException($"{table.Name}: data file {key} already exists");

        var values = snapshot.PartitionColumns.ToDictionary(c => c, c => partitionValues.TryGetValue(c, out var v) ? v : null, StringComparer.Ordinal);
        return new AddAction(DeltaPaths.ToUriPath(key), values, size, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), dataChange, summary!.Stats);
    }
}
