using Clickstream.Delta.Types;
using Parquet.Schema;
using ParquetDataField = Parquet.Schema.DataField;

namespace Clickstream.Delta.Parquet;

/// <summary>A Delta <c>double</c> column (Parquet DOUBLE). A NaN anywhere leaves the column's min/max out of the stats.</summary>
public sealed class DoubleVector : PrimitiveVector<double>
{
    /// <summary>A column over all of <paramref name="values"/>; <paramref name="nulls"/>[i] marks row i null.</summary>
    public DoubleVector(double[] values, bool[]? nulls = null)
        : this(values, nulls, values?.Length ?? 0)
    {
    }

    /// <summary>A column over the first <paramref name="length"/> entries of (possibly pooled) buffers.</summary>
    public DoubleVector(double[] values, bool[]? nulls, int length)
        : base(values, nulls, length)
    {
    }

    /// <inheritdoc />
    public override PrimitiveType Type => PrimitiveType.Double;

    internal override StatsKind StatsKind => StatsKind.Double;

    internal override ParquetDataField CreateField(string name) => new DataField<double>(name, nullable: true);

    private protected override void AddBounds(ReadOnlySpan<double> values, ColumnStatistics stats) => SpanBounds.AddReals(values, stats);
}
