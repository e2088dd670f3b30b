using Clickstream.Delta.Types;
using Parquet;
using Parquet.Schema;
using ParquetDataField = Parquet.Schema.DataField;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// Writes the data columns of one Delta data file (partition columns stay out of the file) as Parquet the way the
/// protocol notes §0/§3 ask: Snappy, data page V1, every field OPTIONAL, strings BYTE_ARRAY + STRING, dates
/// INT32 + DATE, timestamps INT64 + TIMESTAMP(UTC, MILLIS) (see <see cref="TimestampVector"/>), optional dictionary
/// encoding and bounded row groups. The Delta statistics are computed here, while the values are packed, not taken
/// from Parquet.Net.
/// </summary>
/// <remarks>Each call owns its buffers; calls may run concurrently.</remarks>
public static class DataFileWriter
{
    /// <summary>
    /// Writes <paramref name="columns"/> (one per field of <paramref name="schema"/>, in order, all of the same
    /// length) as one Parquet file.
    /// </summary>
    /// <param name="schema">The file's columns: the table's schema without its partition columns.</param>
    /// <param name="columns">The values, one vector per schema field, whose types match the fields' types.</param>
    /// <param name="options">Row groups, dictionary columns and statistics (default <see cref="DataFileWriterOptions.Default"/>).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">The columns do not match the schema or the options.</exception>
    public static async Task<ParquetDataFile> WriteAsync(
        StructType schema,
        IReadOnlyList<ColumnVector> columns,
        DataFileWriterOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        using var output = new PooledBufferStream();
        var summary = await WriteToAsync(schema, columns, output, options, cancellationToken).ConfigureAwait(false);
        return new ParquetDataFile(output.ToArray(), summary.RecordCount, summary.Stats);
    }

    /// <summary>
    /// Writes <paramref name="columns"/> as one Parquet file into <paramref name="output"/> (forward-only writes, so
    /// it may be an upload in progress); the columns are checked before anything is written.
    /// </summary>
    /// <param name="schema">The file's columns: the table's schema without its partition columns.</param>
    /// <param name="columns">The values, one vector per schema field, whose types match the fields' types.</param>
    /// <param name="output">Where the file goes; left open.</param>
    /// <param name="options">Row groups, dictionary columns and statistics (default <see cref="DataFileWriterOptions.Default"/>).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">The columns do not match the schema or the options.</exception>
    public static async Task<DataFileSummary> WriteToAsync(
        StructType schema,
        IReadOnlyList<ColumnVector> columns,
        Stream output,
        DataFileWriterOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(columns);
        options ??= DataFileWriterOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRowsPerRowGroup, 1, nameof(options));
        ArgumentNullException.ThrowIfNull(options.DictionaryColumns, nameof(options));
        var rows = Validate(schema, columns, options);

        var fields = new ParquetDataField[columns.Count];
        var stats = new ColumnStatistics?[columns.Count];
        var indexed = options.NumIndexedColumns < 0 ? columns.Count : Math.Min(options.NumIndexedColumns, columns.Count);
        for (var i = 0; i < columns.Count; i++)
        {
            fields[i] = columns[i].CreateField(schema.Fields[i].Name);
            stats[i] = i < indexed ? new ColumnStatistics(columns[i].StatsKind) : null;
        }

        var parquetOptions = CreateParquetOptions(schema, options);
        var context = new ColumnChunkContext(cancellationToken);
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), output, parquetOptions, append: false, cancellationToken).ConfigureAwait(false))
        {
            // A file without rows has no row groups at all.
            for (var start = 0; start < rows; start += options.MaxRowsPerRowGroup)
            {
                var count = Math.Min(options.MaxRowsPerRowGroup, rows - start);
                using var rowGroup = writer.CreateRowGroup();
                context.RowGroup = rowGroup;
                for (var i = 0; i < columns.Count; i++)
                {
                    context.Field = fields[i];
                    await columns[i].WriteAsync(context, start, count, stats[i]).ConfigureAwait(false);
                }

                rowGroup.CompleteValidate();
            }

            FooterStatistics.DropStringMinMax(writer);
        }

        return new DataFileSummary(rows, StatsJson.Render(rows, schema, stats));
    }

    private static int Validate(StructType schema, IReadOnlyList<ColumnVector> columns, DataFileWriterOptions options)
    {
        if (columns.Count == 0 || columns.Count != schema.Fields.Count)
        {
            throw new ArgumentException($"a data file needs one column per schema field: the schema has {schema.Fields.Count} fields, {columns.Count} columns were given", nameof(columns));
        }

        var rows = columns[0]?.Length ?? 0;
        for (var i = 0; i < columns.Count; i++)
        {
            var field = schema.Fields[i];
            var column = columns[i] ?? throw new ArgumentException($"column '{field.Name}' is null", nameof(columns));
            if (!column.Type.Equals(field.Type))
            {
                throw new ArgumentException($"column '{field.Name}' is {field.Type} in the schema but the vector holds {column.Type}", nameof(columns));
            }

            if (column.Length != rows)
            {
                throw new ArgumentException($"column '{field.Name}' has {column.Length} rows, column '{schema.Fields[0].Name}' has {rows}", nameof(columns));
            }
        }

        foreach (var name in options.DictionaryColumns)
        {
            var field = schema.Find(name) ?? throw new ArgumentException($"dictionary column '{name}' is not in the schema", nameof(columns));
            if (!field.Type.Equals(PrimitiveType.String))
            {
                // Parquet.Net 6.1.0 dictionary-encodes strings only.
                throw new ArgumentException($"dictionary column '{name}' is {field.Type}; only string columns can be dictionary-encoded", nameof(columns));
            }
        }

        return rows;
    }

    private static ParquetOptions CreateParquetOptions(StructType schema, DataFileWriterOptions options)
    {
        var parquetOptions = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy };
        foreach (var name in options.DictionaryColumns)
        {
            // Hints are keyed by the column's path as written, i.e. the schema's spelling of the name.
            parquetOptions.ColumnEncodingHints[schema.Find(name)!.Name] = EncodingHint.Dictionary;
        }

        return parquetOptions;
    }
}
