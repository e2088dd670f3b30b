using System.Buffers;
using Clickstream.Delta.Types;
using Parquet.Schema;
using ParquetDataField = Parquet.Schema.DataField;

namespace Clickstream.Delta.Parquet;

/// <summary>A Delta <c>string</c> column (Parquet BYTE_ARRAY + STRING); a null entry is a null value.</summary>
public sealed class StringVector : ColumnVector
{
    private readonly string?[] _values;

    /// <summary>A column over all of <paramref name="values"/>.</summary>
    public StringVector(string?[] values)
        : this(values, values?.Length ?? 0)
    {
    }

    /// <summary>A column over the first <paramref name="length"/> entries of a (possibly pooled) buffer.</summary>
    public StringVector(string?[] values, int length)
        : base(length)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckBuffer(values.Length, null, length);
        _values = values;
    }

    /// <summary>The column's values.</summary>
    public ReadOnlySpan<string?> Values => _values.AsSpan(0, Length);

    /// <inheritdoc />
    public override PrimitiveType Type => PrimitiveType.String;

    internal override StatsKind StatsKind => StatsKind.String;

    /// <inheritdoc />
    public override bool IsNull(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Length);
        return _values[row] is null;
    }

    internal override ParquetDataField CreateField(string name) => new DataField<string>(name, nullable: true);

    internal override async Task WriteAsync(ColumnChunkContext context, int start, int count, ColumnStatistics? stats)
    {
        // Parquet.Net encodes strings from ReadOnlyMemory<char>: wrapping each string costs no allocation.
        var dense = ArrayPool<ReadOnlyMemory<char>>.Shared.Rent(count);
        var definitions = ArrayPool<int>.Shared.Rent(count);
        var defined = 0;
        try
        {
            defined = Compact(_values.AsSpan(start, count), dense, definitions, stats);
            await context.RowGroup.WriteAllPartsAsync<ReadOnlyMemory<char>>(context.Field, dense.AsMemory(0, defined), definitions.AsMemory(0, count), null, context.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Clear the used part so that the pool does not keep the caller's strings alive.
            dense.AsSpan(0, defined).Clear();
            ArrayPool<ReadOnlyMemory<char>>.Shared.Return(dense);
            ArrayPool<int>.Shared.Return(definitions);
        }
    }

    /// <summary>Packs the non-null values, sets definition levels and gathers the null count and bounds in one pass.</summary>
    private static int Compact(ReadOnlySpan<string?> values, Span<ReadOnlyMemory<char>> dense, Span<int> definitions, ColumnStatistics? stats)
    {
        var defined = 0;
        string? min = null;
        string? max = null;
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (value is null)
            {
                definitions[i] = 0;
                continue;
            }

            definitions[i] = 1;
            dense[defined++] = value.AsMemory();
            if (stats is null || ReferenceEquals(value, min) || ReferenceEquals(value, max))
            {
                continue;
            }

            if (min is null)
            {
                min = max = value;
            }
            else if (Utf8Order.Compare(value, min) < 0)
            {
                min = value;
            }
            else if (Utf8Order.Compare(value, max) > 0)
            {
                max = value;
            }
        }

        if (stats is not null)
        {
            stats.NullCount += values.Length - defined;
            if (min is not null)
            {
                stats.AddStrings(min, max!);
            }
        }

        return defined;
    }
}
