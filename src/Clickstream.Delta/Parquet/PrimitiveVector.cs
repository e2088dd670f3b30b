using System.Buffers;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// A column of fixed-size values with an optional null mask: row <c>i</c> is null when <c>nulls[i]</c> is true,
/// and its slot in the values array is then ignored. Without a mask no row is null.
/// </summary>
/// <typeparam name="T">The stored value type.</typeparam>
public abstract class PrimitiveVector<T> : ColumnVector
    where T : unmanaged
{
    private readonly T[] _values;
    private readonly bool[]? _nulls;

    private protected PrimitiveVector(T[] values, bool[]? nulls, int length)
        : base(length)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckBuffer(values.Length, nulls, length);
        _values = values;
        _nulls = nulls;
    }

    /// <summary>The stored values of the column's rows (a null row's slot holds whatever the buffer held).</summary>
    public ReadOnlySpan<T> Values => _values.AsSpan(0, Length);

    /// <summary>The null mask of the column's rows, or an empty span when no row is null.</summary>
    public ReadOnlySpan<bool> Nulls => _nulls is null ? default : _nulls.AsSpan(0, Length);

    /// <inheritdoc />
    public override bool IsNull(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Length);
        return _nulls is not null && _nulls[row];
    }

    internal override async Task WriteAsync(ColumnChunkContext context, int start, int count, ColumnStatistics? stats)
    {
        if (_nulls is null || !_nulls.AsSpan(start, count).Contains(true))
        {
            if (stats is not null)
            {
                AddBounds(_values.AsSpan(start, count), stats);
            }

            await WriteDenseAsync(context, _values.AsMemory(start, count), context.AllDefined(count)).ConfigureAwait(false);
            return;
        }

        var dense = ArrayPool<T>.Shared.Rent(count);
        var definitions = ArrayPool<int>.Shared.Rent(count);
        try
        {
            var defined = Compact(_values.AsSpan(start, count), _nulls.AsSpan(start, count), dense, definitions);
            if (stats is not null)
            {
                stats.NullCount += count - defined;
                AddBounds(dense.AsSpan(0, defined), stats);
            }

            await WriteDenseAsync(context, dense.AsMemory(0, defined), definitions.AsMemory(0, count)).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(definitions);
            ArrayPool<T>.Shared.Return(dense);
        }
    }

    /// <summary>Adds the bounds of non-null values to the column's statistics.</summary>
    private protected abstract void AddBounds(ReadOnlySpan<T> values, ColumnStatistics stats);

    /// <summary>Writes the non-null values and the definition level of every row (1 = defined, 0 = null).</summary>
    private protected virtual Task WriteDenseAsync(ColumnChunkContext context, ReadOnlyMemory<T> values, ReadOnlyMemory<int> definitions) =>
        context.RowGroup.WriteAllPartsAsync(context.Field, values, definitions, null, context.CancellationToken);

    /// <summary>Copies the non-null values to the front of <paramref name="dense"/>; returns how many there are.</summary>
    private static int Compact(ReadOnlySpan<T> values, ReadOnlySpan<bool> nulls, Span<T> dense, Span<int> definitions)
    {
        var defined = 0;
        for (var i = 0; i < values.Length; i++)
        {
            // Branch-free: the value is always copied, and only kept when the row is defined.
            var isDefined = nulls[i] ? 0 : 1;
            definitions[i] = isDefined;
            dense[defined] = values[i];
            defined += isDefined;
        }

        return defined;
    }
}
