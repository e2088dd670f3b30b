using System.Globalization;
using System.Text;

namespace Clickstream.Jobs.Tests.Support;

/// <summary>Compares the job's export with the rows a reference computed: exact, except HyperLogLog estimates.</summary>
internal static class ExportAssert
{
    /// <summary>The metric whose value is a HyperLogLog estimate; every other metric is an exact count.</summary>
    public const string Estimated = "active_users";

    /// <summary>
    /// Fails, listing every difference, unless <paramref name="actual"/> has exactly the rows of
    /// <paramref name="expected"/> (same metric, window and key) with equal values, except that an
    /// <see cref="Estimated"/> value may be off by 2% of the exact value, or by one for small numbers.
    /// </summary>
    public static void Matches(IReadOnlyList<ExportRow> expected, IReadOnlyList<ExportRow> actual)
    {
        var problems = Differences(expected, actual);
        if (problems.Count > 0)
        {
            var message = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"{problems.Count} difference(s) between the job's export ({actual.Count} rows) and the reference ({expected.Count} rows):")
                .AppendLine();
            foreach (var p in problems.Take(40))
            {
                message.Append("  ").AppendLine(p);
            }

            Assert.Fail(message.ToString());
        }
    }

    public static List<string> Differences(IReadOnlyList<ExportRow> expected, IReadOnlyList<ExportRow> actual)
    {
        var problems = new List<string>();
        var actualById = new Dictionary<(string, long, string?), ExportRow>();
        foreach (var row in actual)
        {
            if (!actualById.TryAdd(row.Id, row))
            {
                problems.Add($"row exported twice: {row}");
            }
        }

        foreach (var want in expected)
        {
            if (!actualById.Remove(want.Id, out var got))
            {
                problems.Add($"missing: {want}");
                continue;
            }

            if (got.WindowEndMicros != want.WindowEndMicros)
            {
                problems.Add($"window end differs: expected {want}, got {got}");
            }
            else if (!Close(want, got.Value))
            {
                problems.Add($"value differs: expected {want}, got value={got.Value.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        problems.AddRange(actualById.Values.Select(extra => $"unexpected: {extra}"));
        return problems;
    }

    /// <summary>Whether an estimate of <paramref name="exact"/> is within 2%, or within one for small numbers.</summary>
    public static bool WithinEstimateTolerance(long exact, long estimate) =>
        Math.Abs(estimate - exact) <= Math.Max(1.0, 0.02 * exact);

    private static bool Close(ExportRow want, long value) =>
        want.Metric == Estimated ? WithinEstimateTolerance(want.Value, value) : want.Value == value;
}
