using System.Globalization;

namespace Clickstream.Aws.DynamoDb;

/// <summary>
/// The write protocol (docs/formats/aggregate-store.md): read the query's metadata item (consistent); skip a batch at
/// or below its last batch id, and stop if another process moved it since this writer last saw it; write
/// the absolute rows (BatchWriteItem puts, or conditional updates), and the additive rows, summed per item, as
/// conditional ADDs that apply only when the item's remembered batch of this query is older; then, last, the query's
/// metadata item, conditional on its last batch being older. A process that dies anywhere in between leaves rows of a
/// batch without its metadata item, and the replay (same batch id, same rows) writes the same absolute values again
/// and skips every ADD that already landed. Runs on the query's driver thread; the writes of one batch run in
/// parallel, at most <see cref="DynamoStoreOptions.MaxConcurrentWrites"/> at a time.
/// </summary>
internal sealed class DynamoBatchWriter(IAggregateTable table, DynamoStoreOptions options, DynamoStoreStats stats, AwsRetry retry)
{
    private const int MaxBatchWriteItems = 25;

    // The metadata item this writer last wrote or read per query; only the driver thread touches it.
    private readonly Dictionary<string, DynamoQueryMeta?> _meta = new(StringComparer.Ordinal);

    /// <summary>The last batch id applied for <paramref name="queryId"/> (read from the table), or -1.</summary>
    public async Task<long> LastBatchIdAsync(string queryId, CancellationToken cancellationToken)
    {
        var meta = await retry.RunAsync($"GetItem dynamodb://{table.Name} (query {queryId})", ct => table.GetMetaAsync(queryId, ct), cancellationToken).ConfigureAwait(false);
        _meta[queryId] = meta;
        return meta?.LastBatchId ?? -1;
    }

    /// <summary>Applies <paramref name="batch"/>; false when the query already holds it (a replay of a whole batch).</summary>
    public async Task<bool> ApplyAsync(DynamoBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);

        // One consistent GetItem per batch: a replayed batch is skipped whole, and a metadata item that moved since this
        // writer last saw it means another process writes the same query: stop before writing a row (its puts could
        // otherwise put back older values).
        var known = _meta.TryGetValue(batch.QueryId, out var seen);
        await LastBatchIdAsync(batch.QueryId, cancellationToken).ConfigureAwait(false);
        var previous = _meta[batch.QueryId];
        if (known && (previous?.LastBatchId ?? -1) != (seen?.LastBatchId ?? -1))
        {
            throw new InvalidOperationException(
                $"dynamodb://{table.Name}: query {batch.QueryId} moved from batch {seen?.LastBatchId ?? -1} to {previous?.LastBatchId ?? -1} while this process held it: another process writes the same query");
        }

        if (previous is not null && batch.BatchId <= previous.LastBatchId)
        {
            stats.BatchSkipped();
            return false;
        }

        var plan = BatchPlan.Build(batch, options);
        await WriteRowsAsync(plan, cancellationToken).ConfigureAwait(false);
        var next = NextMeta(previous, batch, plan);
        await WriteMetaAsync(next, cancellationToken).ConfigureAwait(false);
        _meta[batch.QueryId] = next;
        stats.BatchApplied();
        return true;
    }

    private async Task WriteRowsAsync(BatchPlan plan, CancellationToken cancellationToken)
    {
        // One work item per call: a chunk of up to 25 puts, or one conditional update.
        var work = new List<(AggregateWrite[] Writes, bool Put)>((plan.Absolute.Count / MaxBatchWriteItems) + plan.Additive.Count + 1);
        if (options.AbsoluteWrites == AbsoluteWriteMode.BatchPut)
        {
            for (var i = 0; i < plan.Absolute.Count; i += MaxBatchWriteItems)
            {
                var chunk = new AggregateWrite[Math.Min(MaxBatchWriteItems, plan.Absolute.Count - i)];
                plan.Absolute.CopyTo(i, chunk, 0, chunk.Length);
                work.Add((chunk, true));
            }
        }
        else
        {
            foreach (var write in plan.Absolute)
            {
                work.Add(([write], false));
            }
        }

        foreach (var write in plan.Additive)
        {
            work.Add(([write], false));
        }

        if (work.Count == 0)
        {
            return;
        }

        await Parallel.ForEachAsync(
            work,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrentWrites, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                if (item.Put)
                {
                    await PutChunkAsync(item.Writes, ct).ConfigureAwait(false);
                }
                else
                {
                    await UpdateAsync(item.Writes[0], ct).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
    }

    private async Task PutChunkAsync(AggregateWrite[] chunk, CancellationToken cancellationToken)
    {
        IReadOnlyList<AggregateWrite> pending = chunk;
        await retry.RunAsync($"BatchWriteItem dynamodb://{table.Name}", async ct =>
        {
            stats.WriteCall();
            var left = await table.PutBatchAsync(pending, ct).ConfigureAwait(false);
            stats.Written(pending.Count - left.Count, Units(pending) - Units(left));
            if (left.Count > 0)
            {
                // Only what is left goes again, after the retry loop's backoff.
                stats.Unprocessed(left.Count);
                pending = left;
                throw new UnprocessedItemsException(string.Create(CultureInfo.InvariantCulture, $"{left.Count} item(s) left unprocessed"));
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task UpdateAsync(AggregateWrite write, CancellationToken cancellationToken)
    {
        var applied = await retry.RunAsync($"UpdateItem dynamodb://{table.Name} {write.Partition}", ct =>
        {
            stats.WriteCall();
            return table.UpdateIfNewerAsync(write, ct);
        }, cancellationToken).ConfigureAwait(false);

        // A failed condition is the replay case (or a retried call whose first attempt had landed): nothing to do.
        var units = DynamoKeys.WriteUnits(DynamoKeys.ItemBytes(write));
        if (applied)
        {
            stats.Written(1, units);
        }
        else
        {
            stats.ConditionFailed(units);
        }
    }

    private async Task WriteMetaAsync(DynamoQueryMeta next, CancellationToken cancellationToken)
    {
        var what = $"PutItem dynamodb://{table.Name} (query {next.QueryId} batch {next.LastBatchId})";
        var written = await retry.RunAsync(what, ct =>
        {
            stats.WriteCall();
            return table.PutMetaIfNewerAsync(next, ct);
        }, cancellationToken).ConfigureAwait(false);
        if (written)
        {
            stats.Written(1, DynamoKeys.WriteUnits(DynamoKeys.MetaBytes(next, options.WindowMicros)));
            return;
        }

        // A retried put whose first attempt landed finds its own batch; anything newer is another writer.
        var current = await retry.RunAsync(what, ct => table.GetMetaAsync(next.QueryId, ct), cancellationToken).ConfigureAwait(false);
        if (current?.LastBatchId != next.LastBatchId)
        {
            throw new InvalidOperationException(
                $"dynamodb://{table.Name}: query {next.QueryId} already holds batch {current?.LastBatchId} while this process wrote batch {next.LastBatchId}: another process writes the same query");
        }
    }

    private DynamoQueryMeta NextMeta(DynamoQueryMeta? previous, DynamoBatch batch, BatchPlan plan)
    {
        var recent = new List<BatchTouch>(options.RecentBatchesKept);
        if (previous is not null)
        {
            var skip = Math.Max(0, previous.Recent.Count - (options.RecentBatchesKept - 1));
            for (var i = skip; i < previous.Recent.Count; i++)
            {
                recent.Add(previous.Recent[i]);
            }
        }

        recent.Add(new BatchTouch(batch.BatchId, plan.Ranges));
        var shards = new Dictionary<string, int>(StringComparer.Ordinal);
        var additive = new SortedSet<string>(StringComparer.Ordinal);
        var absolute = new SortedSet<string>(StringComparer.Ordinal);
        if (previous is not null)
        {
            absolute.UnionWith(previous.AbsoluteMetrics);
            foreach (var (metric, n) in previous.Shards)
            {
                shards[metric] = n;
            }

            additive.UnionWith(previous.AdditiveMetrics);
        }

        foreach (var (metric, n) in plan.Shards)
        {
            shards[metric] = Math.Max(n, shards.GetValueOrDefault(metric));
        }

        additive.UnionWith(plan.AdditiveMetrics);
        absolute.UnionWith(plan.AbsoluteMetrics);
        return new DynamoQueryMeta(batch.QueryId, batch.BatchId, batch.CommittedAt)
        {
            NewestWindowEndMicros = Max(previous?.NewestWindowEndMicros, batch.NewestWindowEndMicros),
            OldestWindowStartMicros = Min(previous?.OldestWindowStartMicros, plan.OldestStart),
            MaxWindowEndMicros = Max(previous?.MaxWindowEndMicros, plan.NewestEnd),
            WatermarkMicros = Max(previous?.WatermarkMicros, batch.WatermarkMicros),
            Recent = recent,
            Shards = shards,
            AdditiveMetrics = [.. additive],
            AbsoluteMetrics = [.. absolute],
        };
    }

    private static long Units(IReadOnlyList<AggregateWrite> writes)
    {
        long units = 0;
        for (var i = 0; i < writes.Count; i++)
        {
            units += DynamoKeys.WriteUnits(DynamoKeys.ItemBytes(writes[i]));
        }

        return units;
    }

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static long? Min(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}
