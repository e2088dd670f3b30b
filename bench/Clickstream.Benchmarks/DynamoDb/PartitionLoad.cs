using Clickstream.Aws.DynamoDb;

namespace Clickstream.Benchmarks.DynamoDb;

/// <summary>
/// The write load per partition key that a series of batches puts on the table, computed from the store's own plan
/// of each batch (the items it writes, summed and deduplicated as written): per key and batch, the items and the
/// write units. Spread over the trigger interval they give the sustained writes/s per key; written in the time the
/// store took for the batch they give the burst rate.
/// </summary>
internal sealed class PartitionLoad
{
    private readonly List<(long Items, long Units)> _perKeyBatch = [];

    private PartitionLoad()
    {
    }

    public int Keys { get; private set; }

    public long Items { get; private set; }

    public long Units { get; private set; }

    public (long Items, long Units) Max { get; private set; }

    public static PartitionLoad Of(IReadOnlyList<DynamoBatch> batches, DynamoStoreOptions options)
    {
        var load = new PartitionLoad();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var batch in batches)
        {
            var perKey = new Dictionary<string, (long Items, long Units)>(StringComparer.Ordinal);
            var plan = BatchPlan.Build(batch, options);
            foreach (var list in new[] { plan.Absolute, plan.Additive })
            {
                foreach (var write in list)
                {
                    var units = DynamoKeys.WriteUnits(DynamoKeys.ItemBytes(write));
                    var (items, sum) = perKey.GetValueOrDefault(write.Partition);
                    perKey[write.Partition] = (items + 1, sum + units);
                    load.Items++;
                    load.Units += units;
                }
            }

            foreach (var (key, value) in perKey)
            {
                keys.Add(key);
                load._perKeyBatch.Add(value);
                if (value.Items > load.Max.Items)
                {
                    load.Max = (value.Items, Math.Max(value.Units, load.Max.Units));
                }
                else if (value.Units > load.Max.Units)
                {
                    load.Max = (load.Max.Items, value.Units);
                }
            }
        }

        load.Keys = keys.Count;
        return load;
    }

    /// <summary>The <paramref name="q"/> quantile over (key, batch) pairs of items and of write units.</summary>
    public (long Items, long Units) Quantile(double q)
    {
        if (_perKeyBatch.Count == 0)
        {
            return (0, 0);
        }

        var items = new long[_perKeyBatch.Count];
        var units = new long[_perKeyBatch.Count];
        for (var i = 0; i < items.Length; i++)
        {
            (items[i], units[i]) = _perKeyBatch[i];
        }

        Array.Sort(items);
        Array.Sort(units);
        var at = Math.Min(items.Length - 1, (int)Math.Ceiling(q * items.Length) - 1);
        return (items[Math.Max(0, at)], units[Math.Max(0, at)]);
    }
}
