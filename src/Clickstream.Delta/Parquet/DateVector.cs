using System.Buffers;
using Clickstream.Delta.Types;
using Parquet.Schema;
using ParquetDataField = Parquet.Schema.DataField;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// A Delta <c>date</c> column (Parquet INT32 + DATE) holding days since 1970-01-01; values must fall in the years
/// 0001..9999.
/// </summary>
public sealed class DateVector : PrimitiveVector<int>
{
    /// <summary>A column over all of <paramref name="values"/>; <paramref name="nulls"/>[i] marks row i null.</summary>
    public DateVector(int[] values, bool[]? nulls = null)
        : this(values, nulls, values?.Length ?? 0)
    {
    }

    /// <summary>A column over the first <paramref name="length"/> entries of (possibly pooled) buffers.</summary>
    public DateVector(int[] values, bool[]? nulls, int length)
        : base(values, nulls, length)
    {
    }

    /// <inheritdoc />
    public override PrimitiveType Type => PrimitiveType.Date;

    internal override StatsKind StatsKind => StatsKind.Date;

    internal override ParquetDataField CreateField(string name) => new DataField<DateOnly>(name, nullable: true);

    private protected override void AddBounds(ReadOnlySpan<int> values, ColumnStatistics stats)
    {
        if (SpanBounds.TryGet(values, out var min, out var max))
        {
            stats.AddIntegers(min, max);
        }
    }

    private protected override async Task WriteDenseAsync(ColumnChunkContext context, ReadOnlyMemory<int> values, ReadOnlyMemory<int> definitions)
    {
        // Parquet.Net takes dates as DateOnly and stores them back as days since the epoch.
        var dates = ArrayPool<DateOnly>.Shared.Rent(values.Length);
        try
        {
            ToDates(values.Span, dates);
            await context.RowGroup.WriteAllPartsAsync<DateOnly>(context.Field, dates.AsMemory(0, values.Length), definitions, null, context.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<DateOnly>.Shared.Return(dates);
        }
    }

    private static void ToDates(ReadOnlySpan<int> days, Span<DateOnly> dates)
    {
        for (var i = 0; i < days.Length; i++)
        {
            dates[i] = DeltaTime.DateFromDays(days[i]);
        }
    }
}
