using System.Runtime.CompilerServices;
using Clickstream.Delta.Log;
using Clickstream.Delta.Parquet;

namespace Clickstream.Delta.Table;

/// <summary>
/// Reads the rows of a snapshot: the live files only (never a listing of the data folders, which may hold
/// orphans), each projected onto the table schema by column name (columns a file lacks read as null), with the
/// partition columns taken from the log's partition values, parsed by their type.
/// </summary>
public static class TableReader
{
    /// <summary>The rows of every live file (or of those <paramref name="fileFilter"/> keeps), in table schema order.</summary>
    public static async IAsyncEnumerable<object?[]> ReadRowsAsync(
        DeltaTable table,
        Snapshot snapshot,
        Func<AddAction, bool>? fileFilter = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(snapshot);
        var schema = snapshot.Schema;
        var dataSchema = DataFiles.DataSchema(snapshot);
        var dataIndex = schema.Fields.Select(f => dataSchema.IndexOf(f.Name)).ToArray();
        foreach (var file in snapshot.Files)
        {
            if (fileFilter is not null && !fileFilter(file))
            {
                continue;
            }

            var key = DeltaPaths.KeyOf(file.Path);
            var bytes = await table.Store.ReadAsync(key, cancellationToken).ConfigureAwait(false)
                ?? throw new FileNotFoundException($"{table.Name}: data file {key} of version {snapshot.Version} is missing (was it vacuumed?)", table.Store.Locate(key));
            var partition = new object?[schema.Fields.Count];
            for (var i = 0; i < schema.Fields.Count; i++)
            {
                if (dataIndex[i] < 0)
                {
                    var field = schema.Fields[i];
                    var value = file.PartitionValues.FirstOrDefault(kv => string.Equals(kv.Key, field.Name, StringComparison.OrdinalIgnoreCase)).Value;
                    partition[i] = PartitionValues.Parse(value, field.Type);
                }
            }

            IReadOnlyList<object?[]> rows;
            try
            {
                rows = await DataFileReader.ReadAsync(bytes, dataSchema, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException and not DeltaFormatException)
            {
                throw new DeltaFormatException($"{table.Name}: cannot read data file {key}: {e.Message}", e);
            }

            foreach (var data in rows)
            {
                var row = new object?[schema.Fields.Count];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = dataIndex[i] >= 0 ? data[dataIndex[i]] : partition[i];
                }

                yield return row;
            }
        }
    }

    /// <summary>All rows of the snapshot in a list.</summary>
    public static async Task<List<object?[]>> ReadAllAsync(DeltaTable table, Snapshot snapshot, CancellationToken cancellationToken = default)
    {
        var rows = new List<object?[]>();
        await foreach (var row in ReadRowsAsync(table, snapshot, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The absolute locations of the live files (what other engines, e.g. DuckDB, should read).</summary>
    public static IReadOnlyList<string> LocateFiles(DeltaTable table, Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(snapshot);
        return [.. snapshot.Files.Select(f => table.Store.Locate(DeltaPaths.KeyOf(f.Path)))];
    }
}
