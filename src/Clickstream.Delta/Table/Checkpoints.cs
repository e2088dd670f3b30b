using System.Globalization;
using System.Text.Json;
using Clickstream.Delta.Log;
using Clickstream.Delta.Parquet;

namespace Clickstream.Delta.Table;

/// <summary>
/// Classic single-file checkpoints (<c>%020d.checkpoint.parquet</c> in Spark's layout, then
/// <c>_last_checkpoint</c>, never with <c>parts</c> for a single file) and the protocol's metadata cleanup.
/// </summary>
public static class Checkpoints
{
    /// <summary>Writes the checkpoint of <paramref name="snapshot"/> and points <c>_last_checkpoint</c> at it.</summary>
    public static async Task WriteAsync(DeltaTable table, Snapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(snapshot);
        var actions = CheckpointActions(snapshot, DateTimeOffset.UtcNow);
        var bytes = await CheckpointParquet.WriteAsync(actions, cancellationToken).ConfigureAwait(false);
        await table.Store.PutAsync(DeltaPaths.CheckpointKey(snapshot.Version), bytes, cancellationToken).ConfigureAwait(false);

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", snapshot.Version);
            writer.WriteNumber("size", actions.Count);
            writer.WriteNumber("sizeInBytes", bytes.Length);
            writer.WriteNumber("numOfAddFiles", snapshot.FileCount);
            writer.WriteEndObject();
        }

        // Read as late as possible: never move the pointer back past a newer checkpoint another writer advertised.
        var existing = await ReadLastCheckpointVersionAsync(table, cancellationToken).ConfigureAwait(false);
        if (existing is { } e && e > snapshot.Version)
        {
            return;
        }

        await table.Store.PutAsync(DeltaPaths.LastCheckpointKey, buffer.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The actions a checkpoint holds: protocol, metadata, every <c>txn</c> (minus those older than
    /// <c>delta.setTransactionRetentionDuration</c> when set), live domain metadata, every live file, and the
    /// tombstones younger than <c>delta.deletedFileRetentionDuration</c>.
    /// </summary>
    public static List<DeltaAction> CheckpointActions(Snapshot snapshot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var tombstoneCutoff = (now - DeltaIntervals.Property(snapshot, "delta.deletedFileRetentionDuration", DeltaIntervals.DefaultDeletedFileRetention)).ToUnixTimeMilliseconds();
        long? txnCutoff = snapshot.Property("delta.setTransactionRetentionDuration") is null
            ? null
            : (now - DeltaIntervals.Property(snapshot, "delta.setTransactionRetentionDuration", TimeSpan.MaxValue)).ToUnixTimeMilliseconds();

        var actions = new List<DeltaAction> { snapshot.Protocol, snapshot.Metadata };
        actions.AddRange(snapshot.TransactionsByApp.Values
            .Where(t => txnCutoff is null || t.LastUpdated is null || t.LastUpdated > txnCutoff)
            .OrderBy(t => t.AppId, StringComparer.Ordinal));
        actions.AddRange(snapshot.Domains.Values.OrderBy(d => d.Domain, StringComparer.Ordinal));
        actions.AddRange(snapshot.Files);
        actions.AddRange(snapshot.TombstonesByKey.Values
            .Where(r => (r.DeletionTimestamp ?? 0) > tombstoneCutoff)
            .OrderBy(r => r.Path, StringComparer.Ordinal));
        return actions;
    }

    /// <summary>
    /// Metadata cleanup (protocol "Metadata Cleanup"): with <c>delta.enableExpiredLogCleanup</c> on (the
    /// default), keeps the newest checkpoint written at or before midnight UTC of now − logRetentionDuration,
    /// its commit and everything newer, and deletes older commits, checkpoints and <c>.crc</c> files. Deletes
    /// nothing when no checkpoint is old enough. Returns the number of files deleted.
    /// </summary>
    public static async Task<int> CleanUpLogAsync(DeltaTable table, Snapshot snapshot, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(snapshot);
        if (string.Equals(snapshot.Property("delta.enableExpiredLogCleanup"), "false", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        var retention = DeltaIntervals.Property(snapshot, "delta.logRetentionDuration", DeltaIntervals.DefaultLogRetention);
        var cutoff = new DateTimeOffset((now - retention).UtcDateTime.Date, TimeSpan.Zero);
        var listing = await LogListing.ReadAsync(table.Store, cancellationToken).ConfigureAwait(false);
        var keep = listing.Checkpoints
            .Where(c => c.Key <= snapshot.Version && c.Value.All(f => f.LastModified <= cutoff))
            .Select(c => c.Key)
            .DefaultIfEmpty(-1)
            .Max();
        if (keep <= 0)
        {
            return 0;
        }

        // The checkpoint _last_checkpoint names is never deleted (readers such as Trino go straight to it).
        var advertised = await ReadLastCheckpointVersionAsync(table, cancellationToken).ConfigureAwait(false);
        var doomed = listing.Commits.Where(c => c.Key < keep).Select(c => c.Value.Key)
            .Concat(listing.Checkpoints.Where(c => c.Key < keep && c.Key != advertised).SelectMany(c => c.Value).Select(f => f.Key))
            .Concat(listing.Others.Where(f => VersionOf(f.Key) is { } v && v < keep).Select(f => f.Key))
            .ToList();
        foreach (var key in doomed)
        {
            await table.Store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        }

        return doomed.Count;
    }

    /// <summary>The version in <c>_last_checkpoint</c>, or null when it is missing or unreadable (it is only a hint).</summary>
    public static async Task<long?> ReadLastCheckpointVersionAsync(DeltaTable table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        var bytes = await table.Store.ReadAsync(DeltaPaths.LastCheckpointKey, cancellationToken).ConfigureAwait(false);
        if (bytes is null || bytes.Length == 0)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(bytes);
            return doc.RootElement.TryGetProperty("version", out var v) && v.TryGetInt64(out var version) ? version : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long? VersionOf(string key)
    {
        var name = key[(key.LastIndexOf('/') + 1)..];
        return name.Length >= 20 && long.TryParse(name.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

}
