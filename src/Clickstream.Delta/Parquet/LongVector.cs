using Clickstream.Delta.Types;
using Parquet.Schema;
using ParquetDataField = Parquet.Schema.DataField;

namespace Clickstream.Delta.Parquet;

/// <summary>A Delta <c>long</c> column (Parquet INT64).</summary>
public sealed class LongVector : PrimitiveVector<long>
{
    /// <summary>A column over all of <paramref name="values"/>; <paramref name="nulls"/>[i] marks row i null.</summary>
    public LongVector(long[] values, bool[]? nulls = null)
        : this(values, nulls, values?.Length ?? 0)
    {
    }

    /// <summary>A column over the first <paramref name="length"/> entries of (possibly pooled) buffers.</summary>
    public LongVector(long[] values, bool[]? nulls, int length)
        : base(values, nulls, length)
    {
    }

    /// <inheritdoc />
    public override PrimitiveType Type => PrimitiveType.Long;

    internal override StatsKind StatsKind => StatsKind.Integer;

    internal override ParquetDataField CreateField(string name) => new DataField<long>(name, nullable: true);

    private protected override void AddBounds(ReadOnlySpan<long> values, ColumnStatistics stats)
    {
        if (SpanBounds.TryGet(values, out var min, out var max))
        {
            stats.AddIntegers(min, max);
        }
    }
}
