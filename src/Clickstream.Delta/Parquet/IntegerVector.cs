using Clickstream.Delta.Types;
using Parquet.Schema;
using ParquetDataField = Parquet.Schema.DataField;

namespace Clickstream.Delta.Parquet;

/// <summary>A Delta <c>integer</c> column (Parquet INT32).</summary>
public sealed class IntegerVector : PrimitiveVector<int>
{
    /// <summary>A column over all of <paramref name="values"/>; <paramref name="nulls"/>[i] marks row i null.</summary>
    public IntegerVector(int[] values, bool[]? nulls = null)
        : this(values, nulls, values?.Length ?? 0)
    {
    }

    /// <summary>A column over the first <paramref name="length"/> entries of (possibly pooled) buffers.</summary>
    public IntegerVector(int[] values, bool[]? nulls, int length)
        : base(values, nulls, length)
    {
    }

    /// <inheritdoc />
    public override PrimitiveType Type => PrimitiveType.Integer;

    internal override StatsKind StatsKind => StatsKind.Integer;

    internal override ParquetDataField CreateField(string name) => new DataField<int>(name, nullable: true);

    private protected override void AddBounds(ReadOnlySpan<int> values, ColumnStatistics stats)
    {
        if (SpanBounds.TryGet(values, out var min, out var max))
        {
            stats.AddIntegers(min, max);
        }
    }
}
