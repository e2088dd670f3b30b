using System.Buffers;
using Clickstream.Delta.Types;
using Parquet.Schema;
using ParquetDataField = Parquet.Schema.DataField;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// A Delta <c>timestamp</c> column holding microseconds since the Unix epoch (UTC), written as Parquet INT64 +
/// TIMESTAMP(isAdjustedToUTC=true, unit=MILLIS).
/// </summary>
/// <remarks>
/// The file keeps milliseconds: a value with sub-millisecond digits is truncated toward negative infinity to its
/// millisecond (−1 µs becomes −1 ms), in the file and in the stats alike. Milliseconds rather than the spec's
/// MICROS because Parquet.Net 6.1.0 writes MICROS column statistics in the wrong unit, which makes readers that
/// prune row groups by statistics (DuckDB, Spark, Trino) skip matching rows. Values must fall in the years
/// 0001..9999.
/// </remarks>
public sealed class TimestampVector : PrimitiveVector<long>
{
    /// <summary>A column over all of <paramref name="values"/>; <paramref name="nulls"/>[i] marks row i null.</summary>
    public TimestampVector(long[] values, bool[]? nulls = null)
        : this(values, nulls, values?.Length ?? 0)
    {
    }

    /// <summary>A column over the first <paramref name="length"/> entries of (possibly pooled) buffers.</summary>
    public TimestampVector(long[] values, bool[]? nulls, int length)
        : base(values, nulls, length)
    {
    }

    /// <inheritdoc />
    public override PrimitiveType Type => PrimitiveType.Timestamp;

    internal override StatsKind StatsKind => StatsKind.Timestamp;

    internal override ParquetDataField CreateField(string name) =>
        new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: true);

    private protected override void AddBounds(ReadOnlySpan<long> values, ColumnStatistics stats)
    {
        // Flooring is monotonic, so the bounds can be floored when they are rendered.
        if (SpanBounds.TryGet(values, out var min, out var max))
        {
            stats.AddIntegers(min, max);
        }
    }

    private protected override async Task WriteDenseAsync(ColumnChunkContext context, ReadOnlyMemory<long> values, ReadOnlyMemory<int> definitions)
    {
        // Parquet.Net takes timestamps as DateTime and stores whole milliseconds since the epoch.
        var times = ArrayPool<DateTime>.Shared.Rent(values.Length);
        try
        {
            ToDateTimes(values.Span, times);
            await context.RowGroup.WriteAllPartsAsync<DateTime>(context.Field, times.AsMemory(0, values.Length), definitions, null, context.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<DateTime>.Shared.Return(times);
        }
    }

    private static void ToDateTimes(ReadOnlySpan<long> micros, Span<DateTime> times)
    {
        for (var i = 0; i < micros.Length; i++)
        {
            times[i] = DeltaTime.UtcDateTimeFromMillis(DeltaTime.FloorToMillis(micros[i]));
        }
    }
}
