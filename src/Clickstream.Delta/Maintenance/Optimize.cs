using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Clickstream.Delta.Log;
using Clickstream.Delta.Parquet;
using Clickstream.Delta.Table;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Maintenance;

/// <summary>
/// Compaction (protocol notes §7(c), "Size management"): rewrites the small files of closed days into files of about
/// a target size, so that readers open fewer files and checkpoints stay small. One commit removes the small files
/// and adds the new ones, all with <c>dataChange=false</c>: the rows are the same, and stream readers skip it.
/// </summary>
/// <remarks>
/// <para>
/// Only closed days are compacted by default — every day of the table's date partition column before today (UTC),
/// where the streaming job no longer appends. Naming a date compacts that day only, today included. Files of the
/// target size or larger stay as they are; within a day, the small files are packed in commit order into groups
/// whose input size stays within the target, and a group of one file is left alone (a day with a single file is
/// skipped).
/// </para>
/// <para>
/// The commit declares the compacted days as read: if a concurrent commit adds files to one of them, or removes one
/// of the compacted files, the compaction fails with <see cref="ConcurrentModificationException"/> and deletes the
/// files it wrote; the table is unchanged. Each new file is built in memory (reading every row of its group), so
/// memory use grows with the target size.
/// </para>
/// </remarks>
public static class Optimize
{
    /// <summary>The default target file size, 512 MiB.</summary>
    public const long DefaultTargetFileBytes = 512L << 20;

    private static readonly JsonSerializerOptions ParameterJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Compacts the small files of the closed days, or of <paramref name="date"/> only.</summary>
    /// <param name="table">A table partitioned by a single date column.</param>
    /// <param name="date">The only day to compact (may be today); null for every closed day.</param>
    /// <param name="targetFileBytes">The size the new files aim at (input bytes per new file).</param>
    /// <param name="now">The current time; its UTC date is "today".</param>
    /// <param name="options">Progress and data-file layout.</param>
    /// <param name="cancellationToken">Cancels the work before the commit; files already written are deleted.</param>
    /// <exception cref="ConcurrentModificationException">A concurrent commit touched a compacted day; nothing was committed.</exception>
    /// <exception cref="DeltaFormatException">The table cannot be compacted (no date partition, unsupported column type, damaged file).</exception>
    public static async Task<OptimizeResult> RunAsync(
        DeltaTable table,
        DateOnly? date,
        long targetFileBytes,
        DateTimeOffset now,
        OptimizeOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetFileBytes, 1);
        options ??= OptimizeOptions.Default;
        var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        ProtocolSupport.EnsureWritable(snapshot.Protocol, snapshot.Metadata, table.Name);
        var column = TableFiles.DatePartitionColumn(snapshot, table.Name, "optimize");
        var dataSchema = new StructType(snapshot.Schema.Fields.Where(f => !snapshot.PartitionColumns.Contains(f.Name, StringComparer.OrdinalIgnoreCase)));
        RowVectors.EnsureSupported(dataSchema, table.Name);

        var today = TableFiles.UtcToday(now);
        bool Selected(IReadOnlyDictionary<string, string?> values) =>
            TableFiles.PartitionDate(values, column) is { } d && (date is { } only ? d == only : d < today);

        var plan = Plan(snapshot, Selected, targetFileBytes);
        if (plan.Count == 0)
        {
            options.Progress?.Report("nothing to compact: no day in range has two or more small files");
            return new OptimizeResult(null, []);
        }

        var compacted = plan.Select(p => p.Directory).ToHashSet(StringComparer.Ordinal);
        var predicate = date is { } day
            ? $"({column} = '{PartitionValues.FormatDate(day)}')"
            : $"({column} < '{PartitionValues.FormatDate(today)}')";
        var writerOptions = options.WriterOptions ?? new DataFileWriterOptions { NumIndexedColumns = IndexedColumns(snapshot) };
        var txn = table.StartTransaction(snapshot);
        txn.Operation = "OPTIMIZE";
        txn.WritesOwnManifests = true;
        txn.WithParameter("predicate", JsonSerializer.Serialize(new[] { predicate }, ParameterJson))
            .WithParameter("zOrderBy", "[]")
            .WithParameter("targetFileSize", targetFileBytes.ToString(CultureInfo.InvariantCulture))
            .ReadsPartitions(values => compacted.Contains(DeltaPaths.PartitionDirectories(snapshot.PartitionColumns, values)));

        var written = new List<string>();
        var partitions = new List<OptimizedPartition>();
        var timestamp = now.ToUnixTimeMilliseconds();
        try
        {
            foreach (var partition in plan)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var removed = partition.Groups.Sum(g => g.Count);
                var removedBytes = partition.Groups.Sum(g => g.Sum(f => f.Size));
                options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"{partition.Directory}: {removed:N0} files, {removedBytes:N0} bytes → {partition.Groups.Count:N0} files"));
                long addedBytes = 0;
                long records = 0;
                foreach (var group in partition.Groups)
                {
                    var (add, rows) = await RewriteAsync(table, dataSchema, partition.Directory, group, writerOptions, timestamp, cancellationToken).ConfigureAwait(false);
                    written.Add(DeltaPaths.KeyOf(add.Path));
                    txn.Add(add);
                    foreach (var file in group)
                    {
                        txn.Remove(file, dataChange: false, deletionTimestamp: timestamp);
                    }

                    addedBytes += add.Size;
                    records += rows;
                }

                partitions.Add(new OptimizedPartition(partition.Directory, removed, removedBytes, partition.Groups.Count, addedBytes, records));
            }

            txn.WithMetric("numRemovedFiles", partitions.Sum(p => p.FilesRemoved))
                .WithMetric("numAddedFiles", partitions.Sum(p => p.FilesAdded))
                .WithMetric("numRemovedBytes", partitions.Sum(p => p.BytesRemoved))
                .WithMetric("numAddedBytes", partitions.Sum(p => p.BytesAdded))
                .WithMetric("numOutputRows", partitions.Sum(p => p.Records));
            var commit = await txn.CommitAsync(cancellationToken).ConfigureAwait(false);
            written.Clear(); // committed: the files belong to the table now
            var result = new OptimizeResult(commit.Version, partitions);
            options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"committed version {commit.Version}: {result.FilesRemoved:N0} files → {result.FilesAdded:N0}"));

            var committed = await table.GetSnapshotAsync(commit.Version, cancellationToken).ConfigureAwait(false);
            if (SymlinkManifest.IsEnabled(committed))
            {
                var touched = plan.Select(p => p.Groups[0][0].PartitionValues);
                result = result with { Manifests = await SymlinkManifest.UpdateAsync(table, committed, touched, cancellationToken).ConfigureAwait(false) };
            }

            return result;
        }
        finally
        {
            if (written.Count > 0)
            {
                await DeleteUncommittedAsync(table, written).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// After a failure, deletes the new files the log does not name, rather than leave them to VACUUM. The log is
    /// read first: a commit can land and still end in an error (in the checkpoint written after it, say), and then
    /// the files are the table's.
    /// </summary>
    private static async Task DeleteUncommittedAsync(DeltaTable table, List<string> written)
    {
        try
        {
            var latest = await table.GetSnapshotAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            foreach (var key in written)
            {
                if (!latest.FilesByKey.ContainsKey(key) && !latest.TombstonesByKey.ContainsKey(key))
                {
                    await table.Store.DeleteAsync(key, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is DeltaFormatException or IOException or UnauthorizedAccessException)
        {
            // The original failure is what the caller must see; the files stay for VACUUM, which deletes them
            // once they are older than the retention.
        }
    }

    /// <summary>The days to compact and, for each, its groups of small files (each group becomes one file).</summary>
    private static List<PartitionPlan> Plan(Snapshot snapshot, Func<IReadOnlyDictionary<string, string?>, bool> selected, long targetFileBytes)
    {
        var plan = new List<PartitionPlan>();
        var days = snapshot.FilesByKey.Values
            .Where(f => selected(f.PartitionValues))
            .GroupBy(f => DeltaPaths.PartitionDirectories(snapshot.PartitionColumns, f.PartitionValues), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var day in days)
        {
            var groups = new List<List<AddAction>>();
            var current = new List<AddAction>();
            long currentBytes = 0;
            foreach (var file in day.Where(f => f.Size < targetFileBytes).OrderBy(f => f.ModificationTime).ThenBy(f => f.Path, StringComparer.Ordinal))
            {
                if (current.Count > 0 && currentBytes + file.Size > targetFileBytes)
                {
                    groups.Add(current);
                    current = [];
                    currentBytes = 0;
                }

                current.Add(file);
                currentBytes += file.Size;
            }

            groups.Add(current);
            groups.RemoveAll(g => g.Count < 2);
            if (groups.Count > 0)
            {
                plan.Add(new PartitionPlan(day.Key, groups));
            }
        }

        return plan;
    }

    /// <summary>Reads every row of <paramref name="group"/>, writes them as one new file, and returns its add action.</summary>
    private static async Task<(AddAction Add, long Rows)> RewriteAsync(
        DeltaTable table,
        StructType dataSchema,
        string directory,
        List<AddAction> group,
        DataFileWriterOptions writerOptions,
        long timestamp,
        CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        foreach (var file in group)
        {
            var key = DeltaPaths.KeyOf(file.Path);
            var content = await table.Store.ReadAsync(key, cancellationToken).ConfigureAwait(false)
                ?? throw new DeltaFormatException($"{table.Name}: data file {key} is in the log but missing from storage");
            var before = rows.Count;
            rows.AddRange(await DataFileReader.ReadAsync(content, dataSchema, cancellationToken).ConfigureAwait(false));
            if (RecordCounts.Of(file) is { } expected && expected != rows.Count - before)
            {
                throw new DeltaFormatException($"{table.Name}: data file {key} holds {rows.Count - before} rows but its stats say {expected}");
            }
        }

        var vectors = RowVectors.Build(dataSchema, rows);
        var newKey = directory + (directory.Length == 0 ? "" : "/") + $"part-00000-{Guid.NewGuid()}-c000.snappy.parquet";
        DataFileSummary? written = null;
        var size = await table.Store.WriteIfAbsentAsync(
            newKey,
            async (stream, ct) => written = await DataFileWriter.WriteToAsync(dataSchema, vectors, stream, writerOptions, ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false)
            ?? throw new IOException($"{table.Name}: {newKey} already exists");
        if (written!.RecordCount != rows.Count)
        {
            // Never committed: the file stays unreferenced and vacuum removes it.
            throw new InvalidOperationException($"the compacted file holds {written.RecordCount} rows instead of {rows.Count}");
        }

        var add = new AddAction(DeltaPaths.ToUriPath(newKey), group[0].PartitionValues, size, timestamp, DataChange: false, written.Stats);
        return (add, rows.Count);
    }

    private static int IndexedColumns(Snapshot snapshot) =>
        int.TryParse(snapshot.Property("delta.dataSkippingNumIndexedCols"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 32;

    private sealed record PartitionPlan(string Directory, List<List<AddAction>> Groups);
}
