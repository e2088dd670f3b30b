namespace Clickstream.Jobs.Tests.Support;

/// <summary>
/// Splits an export into the lines that must be identical across runs over the same files and the <c>invalid</c>
/// lines counted at the batch's processing time (invalid events without a readable timestamp), which depend on
/// when a batch was planned. Works for data whose event times all lie before the processing times.
/// </summary>
internal sealed record ExportLines(IReadOnlyList<string> Deterministic, long InvalidAtProcessingTime)
{
    public static ExportLines Split(string export, DateTimeOffset processingTimeFrom)
    {
        var from = ExportRow.ToMicros(processingTimeFrom);
        var lines = export.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var deterministic = new List<string>();
        long invalid = 0;
        foreach (var line in lines)
        {
            var row = ExportRow.Parse(line);
            if (row.Metric == "invalid" && row.WindowStartMicros >= from)
            {
                invalid += row.Value;
            }
            else
            {
                deterministic.Add(line);
            }
        }

        return new ExportLines(deterministic, invalid);
    }
}
