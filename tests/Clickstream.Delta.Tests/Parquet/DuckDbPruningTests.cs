using System.Globalization;
using Clickstream.Delta.Parquet;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Tests.Parquet;

/// <summary>
/// DuckDB trusts row-group statistics to skip data: with Parquet.Net's MICROS statistics it returned no rows for
/// a filter that matched half a million (toolchain notes §1). These tests prove that our files' statistics are
/// right by letting DuckDB prune with them.
/// </summary>
public sealed class DuckDbPruningTests : IDisposable
{
    private const int Groups = 8;
    private const int RowsPerGroup = 1_000;
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData("2025-03-01 05:30:00+00")]
    [InlineData("2025-03-01 00:00:00+00")]
    [InlineData("2025-03-01 07:59:59.999+00")]
    [InlineData("2025-03-01 03:00:00.0005+00")]
    [InlineData("2025-03-02 00:00:00+00")]
    public async Task PushedDownTimestampFilter_ReturnsEveryMatchingRow(string bound)
    {
        var (path, millis) = await WriteHourlyGroupsAsync();
        var from = ParseDuckTimestamp(bound);
        var expected = millis.Count(m => m * 1000 >= from);

        using var duck = ParquetTestFiles.OpenDuckDb();
        var count = Convert.ToInt64(duck.Scalar($"SELECT count(*) FROM read_parquet({ParquetTestFiles.Sql(path)}) WHERE event_time >= TIMESTAMPTZ '{bound}'"), CultureInfo.InvariantCulture);

        Assert.Equal(expected, count);
    }

    [Fact]
    public async Task PushedDownTimestampRange_ReturnsEveryMatchingRowAcrossGroups()
    {
        var (path, millis) = await WriteHourlyGroupsAsync();
        var lo = Start.AddMinutes(150).ToUnixTimeMilliseconds();
        var hi = Start.AddMinutes(330).ToUnixTimeMilliseconds();
        var expected = millis.Count(m => m >= lo && m < hi);

        using var duck = ParquetTestFiles.OpenDuckDb();
        var count = Convert.ToInt64(duck.Scalar(
            $"SELECT count(*) FROM read_parquet({ParquetTestFiles.Sql(path)}) WHERE event_time >= TIMESTAMPTZ '2025-03-01 02:30:00+00' AND event_time < TIMESTAMPTZ '2025-03-01 05:30:00+00'"),
            CultureInfo.InvariantCulture);

        Assert.True(expected > RowsPerGroup);
        Assert.Equal(expected, count);
    }

    [Fact]
    public async Task RowGroupStatistics_EqualTheRealMinAndMaxOfEachGroup()
    {
        var (path, millis) = await WriteHourlyGroupsAsync();

        using var duck = ParquetTestFiles.OpenDuckDb();
        var groups = duck.Rows(
            $"SELECT row_group_id, epoch_ms(CAST(stats_min_value AS TIMESTAMPTZ)), epoch_ms(CAST(stats_max_value AS TIMESTAMPTZ)), stats_null_count " +
            $"FROM parquet_metadata({ParquetTestFiles.Sql(path)}) WHERE path_in_schema = 'event_time' ORDER BY row_group_id");

        Assert.Equal(Groups, groups.Count);
        for (var g = 0; g < Groups; g++)
        {
            var slice = millis.Skip(g * RowsPerGroup).Take(RowsPerGroup).ToList();
            Assert.Equal(slice.Min(), Convert.ToInt64(groups[g][1], CultureInfo.InvariantCulture));
            Assert.Equal(slice.Max(), Convert.ToInt64(groups[g][2], CultureInfo.InvariantCulture));
            Assert.Equal(0L, Convert.ToInt64(groups[g][3], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task DeltaStats_AgreeWithWhatDuckDbComputesFromTheRows()
    {
        var (path, millis) = await WriteHourlyGroupsAsync();

        using var duck = ParquetTestFiles.OpenDuckDb();
        var row = Assert.Single(duck.Rows($"SELECT epoch_ms(min(event_time)), epoch_ms(max(event_time)), count(*) FROM read_parquet({ParquetTestFiles.Sql(path)})"));

        Assert.Equal(millis.Min(), Convert.ToInt64(row[0], CultureInfo.InvariantCulture));
        Assert.Equal(millis.Max(), Convert.ToInt64(row[1], CultureInfo.InvariantCulture));
        Assert.Equal(millis.Count, Convert.ToInt64(row[2], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Eight row groups, group g covering hour g of 2025-03-01 in shuffled order, with sub-millisecond digits that
    /// the writer truncates; returns the file and each row's stored milliseconds.
    /// </summary>
    private async Task<(string Path, List<long> Millis)> WriteHourlyGroupsAsync()
    {
        var random = new Random(7);
        var micros = new long[Groups * RowsPerGroup];
        var ids = new long[micros.Length];
        for (var i = 0; i < micros.Length; i++)
        {
            var group = i / RowsPerGroup;
            var hourStart = Start.AddHours(group).ToUnixTimeMilliseconds() * 1000;
            micros[i] = hourStart + random.NextInt64(3_600_000_000L);
            ids[i] = i;
        }

        var schema = new StructType([new("id", PrimitiveType.Long), new("event_time", PrimitiveType.Timestamp)]);
        var file = await DataFileWriter.WriteAsync(schema, [new LongVector(ids), new TimestampVector(micros)], new DataFileWriterOptions { MaxRowsPerRowGroup = RowsPerGroup });
        var millis = micros.Select(m => (long)Math.Floor(m / 1000.0)).ToList();
        return (_scratch.Write("hourly.parquet", file.Content), millis);
    }

    private static long ParseDuckTimestamp(string text) =>
        (DateTimeOffset.ParseExact(text, ["yyyy-MM-dd HH:mm:ssz", "yyyy-MM-dd HH:mm:ss.FFFFFFz"], CultureInfo.InvariantCulture, DateTimeStyles.None) - DateTimeOffset.UnixEpoch).Ticks / 10;
}
