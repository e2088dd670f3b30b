using System.Collections.Concurrent;
using System.Globalization;
using Clickstream.Delta.Storage;
using Clickstream.Delta.Table;

namespace Clickstream.Delta.Maintenance;

/// <summary>
/// VACUUM (protocol notes §7(c)): physically deletes the data files the latest version no longer needs. A file is
/// kept when a live <c>add</c> names it, when a tombstone younger than the retention names it (readers of recent
/// versions and in-flight queries may still open it), or when it was modified within the retention (a writer may be
/// about to commit it). Everything else in the table's data directories goes, including files no commit ever named
/// (orphans of failed writes).
/// </summary>
/// <remarks>
/// Keys with a segment starting with <c>_</c> or <c>.</c> are never touched — the log, the symlink manifests, hidden
/// and temporary files — except partition directories of a column whose name starts that way. A retention shorter
/// than the table's <c>delta.deletedFileRetentionDuration</c> (default 7 days) is refused unless
/// <see cref="VacuumOptions.Force"/> is set: it would delete files that time travel and running queries rely on.
/// </remarks>
public static class Vacuum
{
    /// <summary>The table property that sets the shortest retention VACUUM accepts without force.</summary>
    public const string RetentionProperty = "delta.deletedFileRetentionDuration";

    private const int Batch = 1000;

    /// <summary>Finds the files to delete and, unless <paramref name="dryRun"/>, deletes them.</summary>
    /// <param name="table">The table.</param>
    /// <param name="retain">How long unreferenced files are kept after their removal or last modification.</param>
    /// <param name="dryRun">List the files without deleting them.</param>
    /// <param name="now">The current time (files modified after <paramref name="now"/> − <paramref name="retain"/> stay).</param>
    /// <param name="options">Force, progress, parallelism.</param>
    /// <param name="cancellationToken">Stops between deletions; files already deleted stay deleted.</param>
    /// <exception cref="UnsafeRetentionException">The retention is shorter than the table's and force was not given.</exception>
    /// <exception cref="DeltaFormatException">The table cannot be written by this library, or references absolute paths.</exception>
    public static async Task<VacuumResult> RunAsync(
        DeltaTable table,
        TimeSpan retain,
        bool dryRun,
        DateTimeOffset now,
        VacuumOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(retain, TimeSpan.Zero);
        options ??= VacuumOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxParallelDeletes, 1, nameof(options));

        var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

        // A table with features this library does not know may keep files we cannot see as referenced (deletion
        // vectors, for one): refuse rather than delete live data.
        ProtocolSupport.EnsureWritable(snapshot.Protocol, snapshot.Metadata, table.Name);
        var configured = DeltaIntervals.Property(snapshot, RetentionProperty, DeltaIntervals.DefaultDeletedFileRetention);
        if (retain < configured && !options.Force)
        {
            throw new UnsafeRetentionException(
                $"{table.Name}: refusing to vacuum with a retention of {Describe(retain)}, shorter than the table's {RetentionProperty} " +
                $"of {Describe(configured)}: files that recent versions, running queries or stream readers still need would be deleted. " +
                "Use a longer retention, or force it if no reader needs those files.");
        }

        var cutoff = retain < now - DateTimeOffset.MinValue ? now - retain : DateTimeOffset.MinValue;
        var referenced = Referenced(snapshot, cutoff.ToUnixTimeMilliseconds());
        options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"version {snapshot.Version}: {snapshot.FileCount:N0} live files, {referenced.Count:N0} referenced in all; listing {table.Name}"));

        var objects = await table.Store.ListAsync("", cancellationToken).ConfigureAwait(false);
        var candidates = new List<ObjectInfo>();
        var scanned = 0;
        foreach (var o in objects)
        {
            if (TableFiles.IsHidden(o.Key, snapshot.PartitionColumns))
            {
                continue;
            }

            scanned++;
            if (!referenced.Contains(o.Key) && o.LastModified < cutoff)
            {
                candidates.Add(o);
            }
        }

        options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"{scanned:N0} data files found, {candidates.Count:N0} ({candidates.Sum(c => c.Size):N0} bytes) unreferenced and older than {cutoff:yyyy-MM-dd'T'HH:mm:ss'Z'}"));
        if (dryRun)
        {
            return new VacuumResult(snapshot.Version, DryRun: true, cutoff, scanned, candidates);
        }

        var deleted = new List<ObjectInfo>(candidates.Count);
        for (var start = 0; start < candidates.Count; start += Batch)
        {
            var batch = candidates.GetRange(start, Math.Min(Batch, candidates.Count - start));
            var gone = new ConcurrentBag<ObjectInfo>();
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelDeletes, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(batch, parallel, async (file, ct) =>
            {
                // False means it was already gone (another vacuum): not counted as ours.
                if (await table.Store.DeleteAsync(file.Key, ct).ConfigureAwait(false))
                {
                    gone.Add(file);
                }
            }).ConfigureAwait(false);
            deleted.AddRange(gone);
            options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"deleted {start + batch.Count:N0} of {candidates.Count:N0} files"));
        }

        deleted.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new VacuumResult(snapshot.Version, DryRun: false, cutoff, scanned, deleted);
    }

    /// <summary>The keys of the live files and of the tombstones not yet expired at <paramref name="cutoffMs"/>.</summary>
    private static HashSet<string> Referenced(Snapshot snapshot, long cutoffMs)
    {
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in snapshot.FilesByKey.Values)
        {
            // KeyOf refuses absolute paths: a file outside the table cannot be matched with the listing, and one
            // inside it under another spelling would look unreferenced and be deleted.
            referenced.Add(DeltaPaths.KeyOf(file.Path));
        }

        foreach (var tombstone in snapshot.TombstonesByKey.Values)
        {
            // Spark's rule: a tombstone without a deletion timestamp counts as removed at the epoch.
            if ((tombstone.DeletionTimestamp ?? 0) > cutoffMs)
            {
                referenced.Add(DeltaPaths.KeyOf(tombstone.Path));
            }
        }

        return referenced;
    }

    private static string Describe(TimeSpan span) =>
        span.TotalHours >= 1 && span.Ticks % TimeSpan.TicksPerHour == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0} hours")
            : span.ToString("c", CultureInfo.InvariantCulture);
}
