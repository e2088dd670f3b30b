using System.Text.Encodings.Web;
using System.Text.Json;
using Clickstream.Delta.Table;

namespace Clickstream.Delta.Maintenance;

/// <summary>
/// The raw-event retention policy (protocol notes §7(c), step 1): one DELETE commit that removes every live file of
/// the days older than the retention, by the table's date partition column. Readers stop seeing those rows at once;
/// the files themselves go later, when VACUUM runs after <c>delta.deletedFileRetentionDuration</c>.
/// </summary>
/// <remarks>
/// Files whose date is null are kept: their age is unknown. The commit declares the expired days as read, so a
/// concurrent commit that adds files to one of them fails it cleanly (<see cref="ConcurrentModificationException"/>);
/// running it again removes those files too. When the table keeps symlink manifests, the manifests of the emptied
/// days are deleted right after the commit.
/// </remarks>
public static class Retention
{
    // commitInfo keeps the predicate as a JSON array in a string, as Spark does; the string is escaped again when
    // the commit is written, so the inner text stays readable ('<' and quotes unescaped).
    private static readonly JsonSerializerOptions PredicateJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Removes every live file whose date partition is before today (UTC) − <paramref name="days"/>.</summary>
    /// <param name="table">The table, partitioned by a single date column.</param>
    /// <param name="days">How many days before today are kept (730 keeps two years).</param>
    /// <param name="now">The current time; its UTC date is "today".</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <exception cref="DeltaFormatException">
    /// The table has no single date partition column, or is append-only (<c>delta.appendOnly=true</c>).
    /// </exception>
    /// <exception cref="ConcurrentModificationException">A concurrent commit conflicts; nothing was committed.</exception>
    public static async Task<RetentionResult> RunAsync(DeltaTable table, int days, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var column = TableFiles.DatePartitionColumn(snapshot, table.Name, "retention");
        if (ProtocolSupport.IsAppendOnly(snapshot.Metadata))
        {
            throw new DeltaFormatException($"{table.Name}: the table is append-only (delta.appendOnly=true); retention cannot remove data");
        }

        var today = TableFiles.UtcToday(now);
        var cutoff = days < today.DayNumber ? today.AddDays(-days) : DateOnly.MinValue;
        bool Expired(IReadOnlyDictionary<string, string?> values) => TableFiles.PartitionDate(values, column) is { } d && d < cutoff;

        var expired = snapshot.Files.Where(f => Expired(f.PartitionValues)).ToList();
        var dates = expired.Select(f => TableFiles.PartitionDate(f.PartitionValues, column)!.Value).Distinct().Order().ToList();
        var bytes = expired.Sum(f => f.Size);
        if (expired.Count == 0)
        {
            return new RetentionResult(null, cutoff, 0, 0, null, []);
        }

        var records = RecordCounts.Sum(expired);
        var deletionTimestamp = now.ToUnixTimeMilliseconds();
        var predicate = $"({column} < '{PartitionValues.FormatDate(cutoff)}')";
        var txn = table.StartTransaction(snapshot);
        txn.Operation = "DELETE";
        txn.WritesOwnManifests = true;
        txn.WithParameter("predicate", JsonSerializer.Serialize(new[] { predicate }, PredicateJson))
            .WithMetric("numRemovedFiles", expired.Count)
            .WithMetric("numRemovedBytes", bytes)
            .WithMetric("numAddedFiles", 0)
            .WithMetric("numCopiedRows", 0)
            .ReadsPartitions(Expired);
        if (records is { } r)
        {
            txn.WithMetric("numDeletedRows", r);
        }

        foreach (var file in expired)
        {
            txn.Remove(file, dataChange: true, deletionTimestamp: deletionTimestamp);
        }

        var commit = await txn.CommitAsync(cancellationToken).ConfigureAwait(false);
        ManifestUpdate? manifests = null;
        var committed = await table.GetSnapshotAsync(commit.Version, cancellationToken).ConfigureAwait(false);
        if (SymlinkManifest.IsEnabled(committed))
        {
            manifests = await SymlinkManifest.UpdateAsync(table, committed, expired.Select(f => f.PartitionValues), cancellationToken).ConfigureAwait(false);
        }

        return new RetentionResult(commit.Version, cutoff, expired.Count, bytes, records, dates) { Manifests = manifests };
    }
}
