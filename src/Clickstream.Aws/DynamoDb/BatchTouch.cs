using System.Globalization;
using System.Text;

namespace Clickstream.Aws.DynamoDb;

/// <summary>
/// Which partitions one batch wrote: per metric, the range of window starts. A query's metadata item lists its
/// last batches' touches so that a reader holding cached partitions re-reads only what changed since it looked.
/// Stored as one string, <c>batch|m1,m2:min:max|m3:min:max</c> with window starts in window units (minutes), metrics
/// with equal ranges sharing one part.
/// </summary>
internal sealed record BatchTouch(long BatchId, IReadOnlyList<MetricRange> Ranges)
{
    public string Encode(long windowMicros)
    {
        var text = new StringBuilder();
        text.Append(BatchId.ToString(CultureInfo.InvariantCulture));
        var done = new bool[Ranges.Count];
        for (var i = 0; i < Ranges.Count; i++)
        {
            if (done[i])
            {
                continue;
            }

            text.Append('|').Append(Ranges[i].Metric);
            for (var j = i + 1; j < Ranges.Count; j++)
            {
                if (!done[j] && Ranges[j].MinStartMicros == Ranges[i].MinStartMicros && Ranges[j].MaxStartMicros == Ranges[i].MaxStartMicros)
                {
                    text.Append(',').Append(Ranges[j].Metric);
                    done[j] = true;
                }
            }

            text.Append(':').Append((Ranges[i].MinStartMicros / windowMicros).ToString(CultureInfo.InvariantCulture))
                .Append(':').Append((Ranges[i].MaxStartMicros / windowMicros).ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    public static BatchTouch Decode(string text, long windowMicros)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('|');
        var ranges = new List<MetricRange>();
        for (var i = 1; i < parts.Length; i++)
        {
            var fields = parts[i].Split(':');
            if (fields.Length != 3)
            {
                throw new InvalidDataException($"malformed batch touch '{text}'");
            }

            var min = long.Parse(fields[1], CultureInfo.InvariantCulture) * windowMicros;
            var max = long.Parse(fields[2], CultureInfo.InvariantCulture) * windowMicros;
            foreach (var metric in fields[0].Split(','))
            {
                ranges.Add(new MetricRange(metric, min, max));
            }
        }

        return new BatchTouch(long.Parse(parts[0], CultureInfo.InvariantCulture), ranges);
    }
}
