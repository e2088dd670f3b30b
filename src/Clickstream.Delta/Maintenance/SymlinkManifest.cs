using System.Text;
using Clickstream.Delta.Log;
using Clickstream.Delta.Table;

namespace Clickstream.Delta.Maintenance;

/// <summary>
/// Hive symlink manifests for Redshift Spectrum and other engines that read a Delta table as a Hive table (protocol
/// notes §7(b)): <c>_symlink_format_manifest/&lt;col=value/…&gt;/manifest</c> per partition, or a single
/// <c>_symlink_format_manifest/manifest</c> for an unpartitioned table, each listing the absolute location of every
/// live data file of its partition, one per line.
/// </summary>
/// <remarks>
/// Every manifest is replaced with one atomic PUT, so an engine reads a partition's old or new list, never a mix.
/// Consistency is per partition only: run the updates from one place, after each commit, so that two regenerations
/// never race (a slower one could otherwise put back an older list).
/// </remarks>
public static class SymlinkManifest
{
    /// <summary>The folder holding the manifests, relative to the table root (with the trailing slash).</summary>
    public const string Folder = "_symlink_format_manifest/";

    /// <summary>The name of each manifest file.</summary>
    public const string FileName = "manifest";

    /// <summary>The table property that asks for manifests to be kept up to date after every commit.</summary>
    public const string EnabledProperty = "delta.compatibility.symlinkFormatManifest.enabled";

    /// <summary>Whether the table asks for manifests (<c>delta.compatibility.symlinkFormatManifest.enabled=true</c>).</summary>
    public static bool IsEnabled(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return string.Equals(snapshot.Property(EnabledProperty), "true", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The key of the manifest of the partition with <paramref name="partitionValues"/>: the Hive-escaped
    /// <c>col=value</c> directories (a null value as <c>__HIVE_DEFAULT_PARTITION__</c>) under <see cref="Folder"/>.
    /// </summary>
    public static string ManifestKey(IReadOnlyList<string> partitionColumns, IReadOnlyDictionary<string, string?> partitionValues)
    {
        ArgumentNullException.ThrowIfNull(partitionColumns);
        ArgumentNullException.ThrowIfNull(partitionValues);
        return partitionColumns.Count == 0
            ? Folder + FileName
            : Folder + DeltaPaths.PartitionDirectories(partitionColumns, partitionValues) + "/" + FileName;
    }

    /// <summary>
    /// Writes the manifest of every partition of <paramref name="snapshot"/> and deletes every other manifest (those
    /// of partitions that no longer have files). Use it when manifests are first turned on, or to repair them.
    /// </summary>
    public static async Task<ManifestUpdate> GenerateAsync(DeltaTable table, Snapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(snapshot);
        var partitions = GroupByManifest(snapshot);
        if (snapshot.PartitionColumns.Count == 0)
        {
            // An unpartitioned table always has its manifest, empty when the table is: the external table's
            // location is the manifest folder, and an empty list is an empty table.
            partitions.TryAdd(Folder + FileName, []);
        }

        var written = new List<string>(partitions.Count);
        foreach (var (key, files) in partitions.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            await WriteAsync(table, key, files, cancellationToken).ConfigureAwait(false);
            written.Add(key);
        }

        var deleted = new List<string>();
        foreach (var existing in await table.Store.ListAsync(Folder, cancellationToken).ConfigureAwait(false))
        {
            if (IsManifest(existing.Key) && !partitions.ContainsKey(existing.Key)
                && await table.Store.DeleteAsync(existing.Key, cancellationToken).ConfigureAwait(false))
            {
                deleted.Add(existing.Key);
            }
        }

        return new ManifestUpdate(snapshot.Version, written, deleted);
    }

    /// <summary>
    /// Rewrites the manifests of <paramref name="touchedPartitions"/> only (the partitions a commit added files to
    /// or removed files from), from <paramref name="snapshot"/>, the table as of that commit; deletes the manifest
    /// of a partition left without files. An unpartitioned table's single manifest is rewritten whenever any
    /// partition is named.
    /// </summary>
    public static async Task<ManifestUpdate> UpdateAsync(
        DeltaTable table,
        Snapshot snapshot,
        IEnumerable<IReadOnlyDictionary<string, string?>> touchedPartitions,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(touchedPartitions);
        var touched = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var values in touchedPartitions)
        {
            touched.Add(ManifestKey(snapshot.PartitionColumns, values));
        }

        if (touched.Count == 0)
        {
            return new ManifestUpdate(snapshot.Version, [], []);
        }

        var partitions = GroupByManifest(snapshot, touched);
        var written = new List<string>();
        var deleted = new List<string>();
        foreach (var key in touched)
        {
            if (partitions.TryGetValue(key, out var files))
            {
                await WriteAsync(table, key, files, cancellationToken).ConfigureAwait(false);
                written.Add(key);
            }
            else if (snapshot.PartitionColumns.Count == 0)
            {
                await WriteAsync(table, key, [], cancellationToken).ConfigureAwait(false);
                written.Add(key);
            }
            else if (await table.Store.DeleteAsync(key, cancellationToken).ConfigureAwait(false))
            {
                deleted.Add(key);
            }
        }

        return new ManifestUpdate(snapshot.Version, written, deleted);
    }

    /// <summary>The live files of the snapshot by manifest key (only the keys in <paramref name="only"/> when given).</summary>
    private static Dictionary<string, List<AddAction>> GroupByManifest(Snapshot snapshot, IReadOnlySet<string>? only = null)
    {
        var partitions = new Dictionary<string, List<AddAction>>(StringComparer.Ordinal);
        foreach (var file in snapshot.FilesByKey.Values)
        {
            var key = ManifestKey(snapshot.PartitionColumns, file.PartitionValues);
            if (only is not null && !only.Contains(key))
            {
                continue;
            }

            if (!partitions.TryGetValue(key, out var files))
            {
                partitions[key] = files = [];
            }

            files.Add(file);
        }

        return partitions;
    }

    private static Task WriteAsync(DeltaTable table, string key, List<AddAction> files, CancellationToken cancellationToken)
    {
        // Sorted so that a regeneration of an unchanged partition writes identical bytes.
        var locations = new string[files.Count];
        for (var i = 0; i < files.Count; i++)
        {
            locations[i] = table.Store.Locate(DeltaPaths.KeyOf(files[i].Path));
        }

        Array.Sort(locations, StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var location in locations)
        {
            text.Append(location).Append('\n');
        }

        return table.Store.PutAsync(key, Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
    }

    private static bool IsManifest(string key) =>
        key.EndsWith("/" + FileName, StringComparison.Ordinal) && key.StartsWith(Folder, StringComparison.Ordinal);
}
