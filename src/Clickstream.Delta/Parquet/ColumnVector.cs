using Clickstream.Delta.Types;
using ParquetDataField = Parquet.Schema.DataField;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// The values of one column of a data file, held column-wise for <see cref="DataFileWriter"/>. A vector can sit
/// over a pooled or oversized buffer: only the first <see cref="Length"/> entries are part of the column, and the
/// caller keeps ownership of the buffers (the writer only reads them while a write runs).
/// </summary>
/// <remarks>
/// The set of vector types is closed: <see cref="StringVector"/>, <see cref="LongVector"/>,
/// <see cref="IntegerVector"/>, <see cref="DoubleVector"/>, <see cref="FloatVector"/>, <see cref="BooleanVector"/>,
/// <see cref="DateVector"/> and <see cref="TimestampVector"/>. There are no short/byte vectors: Parquet.Net 6.1.0's
/// PLAIN encoder for those types hands its pooled buffer back to the pool before it has written it.
/// </remarks>
public abstract class ColumnVector
{
    private protected ColumnVector(int length) => Length = length;

    /// <summary>The number of rows in the column.</summary>
    public int Length { get; }

    /// <summary>The Delta type of the column.</summary>
    public abstract PrimitiveType Type { get; }

    /// <summary>Whether the value at <paramref name="row"/> is null.</summary>
    public abstract bool IsNull(int row);

    /// <summary>The Parquet leaf this vector is written as.</summary>
    internal abstract ParquetDataField CreateField(string name);

    /// <summary>How the stats JSON renders this column's min and max.</summary>
    internal abstract StatsKind StatsKind { get; }

    /// <summary>
    /// Writes rows <paramref name="start"/>..<paramref name="start"/>+<paramref name="count"/> as this column's chunk
    /// of the current row group, adding their null count and bounds to <paramref name="stats"/> when it is not null.
    /// </summary>
    internal abstract Task WriteAsync(ColumnChunkContext context, int start, int count, ColumnStatistics? stats);

    private protected static void CheckBuffer(int bufferLength, bool[]? nulls, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, bufferLength);
        if (nulls is not null && nulls.Length < length)
        {
            throw new ArgumentException($"the null mask holds {nulls.Length} entries, fewer than the column's {length} rows", nameof(nulls));
        }
    }
}
