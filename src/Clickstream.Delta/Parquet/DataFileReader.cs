using Clickstream.Delta.Types;
using Parquet;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// Reads Delta data files (Parquet written by Spark, delta-rs or <see cref="DataFileWriter"/>) as rows of a Delta
/// schema, usually the table's data columns.
/// </summary>
/// <remarks>
/// <para>
/// Columns match by name ignoring case (nested struct fields too); a column the file lacks is null in every row;
/// file columns the schema does not name are not read. Values come back as: string → <see cref="string"/>,
/// long → <see cref="long"/>, integer → <see cref="int"/>, short → <see cref="short"/>, byte → <see cref="sbyte"/>,
/// float → <see cref="float"/>, double → <see cref="double"/>, boolean → <see cref="bool"/>, binary →
/// <see cref="byte"/>[], decimal → <see cref="decimal"/>, date → <see cref="DateOnly"/>, timestamp →
/// <see cref="DateTimeOffset"/> with a zero offset and microsecond precision (INT96, INT64 MICROS and MILLIS),
/// struct → <c>object?[]</c> in the Delta field order, array → <c>object?[]</c>, map →
/// <c>Dictionary&lt;string, object?&gt;</c> (<c>Dictionary&lt;object, object?&gt;</c> for non-string keys).
/// </para>
/// <para>Columns are read whole per row group with Parquet.Net's raw column API and assembled from their levels.</para>
/// </remarks>
public static class DataFileReader
{
    /// <summary>Reads every row of <paramref name="file"/> as <paramref name="schema"/>.</summary>
    /// <exception cref="DeltaFormatException">The file is not Parquet, or a column cannot be read as its Delta type.</exception>
    public static Task<IReadOnlyList<object?[]>> ReadAsync(byte[] file, StructType schema, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        return ReadAsync(new MemoryStream(file, writable: false), schema, cancellationToken);
    }

    /// <summary>Reads every row of the Parquet file in <paramref name="file"/> as <paramref name="schema"/>; the stream stays open.</summary>
    /// <exception cref="DeltaFormatException">The file is not Parquet, or a column cannot be read as its Delta type.</exception>
    public static async Task<IReadOnlyList<object?[]>> ReadAsync(Stream file, StructType schema, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var rows = new RowTarget();
        await ReadAsync(file, schema, rows, cancellationToken).ConfigureAwait(false);
        return rows.Rows;
    }

    /// <summary>Reads one column of <paramref name="file"/> (null in every row when the file lacks it).</summary>
    /// <exception cref="DeltaFormatException">The file is not Parquet, or the column cannot be read as its Delta type.</exception>
    public static async Task<object?[]> ReadColumnAsync(byte[] file, StructField column, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(column);
        var (_, columns) = await ReadColumnsAsync(new MemoryStream(file, writable: false), new StructType([column]), cancellationToken).ConfigureAwait(false);
        return columns[0];
    }

    /// <summary>The number of rows in <paramref name="file"/>, from its footer alone.</summary>
    /// <exception cref="DeltaFormatException">The file is not Parquet.</exception>
    public static async Task<long> ReadRowCountAsync(byte[] file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        await using var reader = await OpenAsync(new MemoryStream(file, writable: false), cancellationToken).ConfigureAwait(false);
        return reader.Metadata?.NumRows ?? 0;
    }

    /// <summary>Reads the columns of <paramref name="schema"/>, each as an array of its values in row order.</summary>
    private static async Task<(int RowCount, object?[][] Columns)> ReadColumnsAsync(Stream file, StructType schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var columns = new ColumnTarget();
        await ReadAsync(file, schema, columns, cancellationToken).ConfigureAwait(false);
        return (columns.RowCount, columns.Columns);
    }

    private static async Task ReadAsync(Stream file, StructType schema, Target target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        await using var reader = await OpenAsync(file, cancellationToken).ConfigureAwait(false);
        var projection = ColumnProjection.Create(schema, reader.Schema);
        var rowCount = checked((int)(reader.Metadata?.NumRows ?? 0));
        target.Start(rowCount, schema.Fields.Count);
        var offset = 0;
        try
        {
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var rowGroup = reader.OpenRowGroupReader(g);
                var rows = checked((int)rowGroup.RowCount);
                if (rows > rowCount - offset)
                {
                    throw new DeltaFormatException($"the row groups hold more rows than the file's {rowCount}");
                }

                foreach (var leaf in projection.Leaves)
                {
                    await leaf.LoadAsync(rowGroup, cancellationToken).ConfigureAwait(false);
                }

                target.Assemble(projection.Columns, offset, rows);
                foreach (var leaf in projection.Leaves)
                {
                    if (!leaf.AtEnd)
                    {
                        throw new DeltaFormatException($"column '{leaf.Field.Path}' holds more entries than its row group's {rows} rows");
                    }
                }

                offset += rows;
            }
        }
        finally
        {
            foreach (var leaf in projection.Leaves)
            {
                leaf.Release();
            }
        }

        if (offset != rowCount)
        {
            throw new DeltaFormatException($"the row groups hold {offset} rows, the footer says {rowCount}");
        }
    }

    private static async Task<ParquetReader> OpenAsync(Stream file, CancellationToken cancellationToken)
    {
        if (!file.CanSeek)
        {
            var copy = new MemoryStream();
            await file.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            copy.Position = 0;
            file = copy;
        }

        // Dates as DateOnly; INT96 as DateTime (the default); binary stays binary unless annotated as a string.
        var options = new ParquetOptions { UseDateOnlyTypeForDates = true, TreatBigIntegersAsDates = true, TreatByteArrayAsString = false };
        try
        {
            return await ParquetReader.CreateAsync(file, options, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is global::Parquet.ParquetException or IOException or InvalidDataException or NotSupportedException)
        {
            throw new DeltaFormatException($"not a readable Parquet file: {e.Message}", e);
        }
    }

    /// <summary>Where assembled values go: one array per row, or one per column.</summary>
    private abstract class Target
    {
        public abstract void Start(int rowCount, int columnCount);

        /// <summary>Reads <paramref name="rows"/> rows starting at row <paramref name="offset"/> (null columns stay null).</summary>
        public abstract void Assemble(IReadOnlyList<ReadNode?> columns, int offset, int rows);
    }

    private sealed class RowTarget : Target
    {
        public object?[][] Rows { get; private set; } = [];

        public override void Start(int rowCount, int columnCount)
        {
            Rows = new object?[rowCount][];
            for (var r = 0; r < rowCount; r++)
            {
                Rows[r] = new object?[columnCount];
            }
        }

        public override void Assemble(IReadOnlyList<ReadNode?> columns, int offset, int rows)
        {
            // Each column's leaves have their own cursors, so the columns can be read row by row.
            for (var r = offset; r < offset + rows; r++)
            {
                var row = Rows[r];
                for (var c = 0; c < row.Length; c++)
                {
                    row[c] = columns[c]?.Read();
                }
            }
        }
    }

    private sealed class ColumnTarget : Target
    {
        public int RowCount { get; private set; }

        public object?[][] Columns { get; private set; } = [];

        public override void Start(int rowCount, int columnCount)
        {
            RowCount = rowCount;
            Columns = new object?[columnCount][];
            for (var c = 0; c < columnCount; c++)
            {
                Columns[c] = new object?[rowCount];
            }
        }

        public override void Assemble(IReadOnlyList<ReadNode?> columns, int offset, int rows)
        {
            for (var c = 0; c < Columns.Length; c++)
            {
                if (columns[c] is not { } node)
                {
                    continue;
                }

                var column = Columns[c];
                for (var r = offset; r < offset + rows; r++)
                {
                    column[r] = node.Read();
                }
            }
        }
    }
}
