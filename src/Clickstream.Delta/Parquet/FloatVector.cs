using Clickstream.Delta.Types;
using Parquet.Schema;
using ParquetDataField = Parquet.Schema.DataField;

namespace Clickstream.Delta.Parquet;

/// <summary>A Delta <c>float</c> column (Parquet FLOAT). A NaN anywhere leaves the column's min/max out of the stats.</summary>
public sealed class FloatVector : PrimitiveVector<float>
{
    /// <summary>A column over all of <paramref name="values"/>; <paramref name="nulls"/>[i] marks row i null.</summary>
    public FloatVector(float[] values, bool[]? nulls = null)
        : this(values, nulls, values?.Length ?? 0)
    {
    }

    /// <summary>A column over the first <paramref name="length"/> entries of (possibly pooled) buffers.</summary>
    public FloatVector(float[] values, bool[]? nulls, int length)
        : base(values, nulls, length)
    {
    }

    /// <inheritdoc />
    public override PrimitiveType Type => PrimitiveType.Float;

    internal override StatsKind StatsKind => StatsKind.Float;

    internal override ParquetDataField CreateField(string name) => new DataField<float>(name, nullable: true);

    private protected override void AddBounds(ReadOnlySpan<float> values, ColumnStatistics stats) => SpanBounds.AddReals(values, stats);
}
