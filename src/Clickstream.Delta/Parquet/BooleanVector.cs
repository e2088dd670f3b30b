using Clickstream.Delta.Types;
using Parquet.Schema;
using ParquetDataField = Parquet.Schema.DataField;

namespace Clickstream.Delta.Parquet;

/// <summary>A Delta <c>boolean</c> column (Parquet BOOLEAN). Its stats hold only the null count.</summary>
public sealed class BooleanVector : PrimitiveVector<bool>
{
    /// <summary>A column over all of <paramref name="values"/>; <paramref name="nulls"/>[i] marks row i null.</summary>
    public BooleanVector(bool[] values, bool[]? nulls = null)
        : this(values, nulls, values?.Length ?? 0)
    {
    }

    /// <summary>A column over the first <paramref name="length"/> entries of (possibly pooled) buffers.</summary>
    public BooleanVector(bool[] values, bool[]? nulls, int length)
        : base(values, nulls, length)
    {
    }

    /// <inheritdoc />
    public override PrimitiveType Type => PrimitiveType.Boolean;

    internal override StatsKind StatsKind => StatsKind.None;

    internal override ParquetDataField CreateField(string name) => new DataField<bool>(name, nullable: true);

    private protected override void AddBounds(ReadOnlySpan<bool> values, ColumnStatistics stats)
    {
        // Delta keeps no min/max for booleans (Spark's SkippingEligibleDataType); the null count is enough.
    }
}
