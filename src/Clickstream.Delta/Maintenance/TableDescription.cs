using Clickstream.Delta.Log;
using Clickstream.Delta.Table;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Maintenance;

/// <summary>
/// A summary of a table at its latest version, for operators: where it is, its protocol, schema, partitioning and
/// properties, its files per partition (count, bytes, and rows from the <c>numRecords</c> of each file's stats),
/// its latest checkpoint and the application transactions (streaming batch ids) it records.
/// </summary>
public sealed class TableDescription
{
    private TableDescription()
    {
    }

    /// <summary>The table's location.</summary>
    public required string Location { get; init; }

    /// <summary>The version described.</summary>
    public required long Version { get; init; }

    /// <summary>When that version was committed, when known.</summary>
    public DateTimeOffset? LastCommitTime { get; init; }

    /// <summary>The protocol in force.</summary>
    public required ProtocolAction Protocol { get; init; }

    /// <summary>The table id (<c>metaData.id</c>).</summary>
    public required string TableId { get; init; }

    /// <summary>The table's name, when set.</summary>
    public string? Name { get; init; }

    /// <summary>The table's description, when set.</summary>
    public string? Description { get; init; }

    /// <summary>When the table was created (<c>metaData.createdTime</c>), when recorded.</summary>
    public DateTimeOffset? CreatedTime { get; init; }

    /// <summary>The columns in schema order, partition columns included.</summary>
    public required IReadOnlyList<ColumnDescription> Columns { get; init; }

    /// <summary>The partition columns in order.</summary>
    public required IReadOnlyList<string> PartitionColumns { get; init; }

    /// <summary>The table properties, ordered by key.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Properties { get; init; }

    /// <summary>The number of live files.</summary>
    public required int FileCount { get; init; }

    /// <summary>Their total size in bytes.</summary>
    public required long TotalBytes { get; init; }

    /// <summary>Their total row count, when every file's stats give it.</summary>
    public long? TotalRecords { get; init; }

    /// <summary>The partitions holding live files, in directory order (one entry for an unpartitioned table with files).</summary>
    public required IReadOnlyList<PartitionDescription> Partitions { get; init; }

    /// <summary>The newest complete checkpoint in the log, if any.</summary>
    public long? LatestCheckpointVersion { get; init; }

    /// <summary>The latest batch version of each application that writes the table, ordered by application id.</summary>
    public required IReadOnlyList<TxnAction> ApplicationTransactions { get; init; }

    /// <summary>Describes the latest version of <paramref name="table"/>.</summary>
    /// <exception cref="DeltaTableNotFoundException">The location holds no Delta table.</exception>
    public static async Task<TableDescription> LoadAsync(DeltaTable table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var listing = await LogListing.ReadAsync(table.Store, cancellationToken).ConfigureAwait(false);
        long? checkpoint = listing.Checkpoints.Count > 0 ? listing.Checkpoints.Keys.Max() : null;
        DateTimeOffset? committed = null;
        if (snapshot.Timestamp is null && listing.Commits.TryGetValue(snapshot.Version, out var commit))
        {
            // A snapshot served again from the table's cache may not carry its commit time: take it from the commit.
            var info = (await table.ReadCommitAsync(snapshot.Version, cancellationToken).ConfigureAwait(false)).OfType<CommitInfoAction>().FirstOrDefault();
            committed = DateTimeOffset.FromUnixTimeMilliseconds(info?.Timestamp ?? commit.LastModified.ToUnixTimeMilliseconds());
        }

        return Describe(table.Name, snapshot, checkpoint, committed);
    }

    /// <summary>Describes <paramref name="snapshot"/> of the table at <paramref name="location"/>.</summary>
    /// <param name="location">The table's location, as shown.</param>
    /// <param name="snapshot">The version to describe.</param>
    /// <param name="latestCheckpointVersion">The newest checkpoint in the log, if any.</param>
    /// <param name="lastCommitTime">The commit time of the version, when the snapshot does not carry it.</param>
    public static TableDescription Describe(string location, Snapshot snapshot, long? latestCheckpointVersion, DateTimeOffset? lastCommitTime = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(snapshot);
        var partitionColumns = snapshot.PartitionColumns;
        var columns = snapshot.Schema.Fields
            .Select(f => new ColumnDescription(f.Name, TypeName(f.Type), f.Nullable, partitionColumns.Contains(f.Name, StringComparer.OrdinalIgnoreCase)))
            .ToList();
        var partitions = snapshot.FilesByKey.Values
            .GroupBy(f => DeltaPaths.PartitionDirectories(partitionColumns, f.PartitionValues), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new PartitionDescription(
                partitionColumns.ToDictionary(c => c, c => g.First().PartitionValues.GetValueOrDefault(c), StringComparer.Ordinal),
                g.Key,
                g.Count(),
                g.Sum(f => f.Size),
                RecordCounts.Sum(g)))
            .ToList();
        var metadata = snapshot.Metadata;
        return new TableDescription
        {
            Location = location,
            Version = snapshot.Version,
            LastCommitTime = snapshot.Timestamp is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t) : lastCommitTime,
            Protocol = snapshot.Protocol,
            TableId = metadata.Id,
            Name = metadata.Name,
            Description = metadata.Description,
            CreatedTime = metadata.CreatedTime is { } c ? DateTimeOffset.FromUnixTimeMilliseconds(c) : null,
            Columns = columns,
            PartitionColumns = [.. partitionColumns],
            Properties = [.. metadata.Configuration.OrderBy(p => p.Key, StringComparer.Ordinal)],
            FileCount = snapshot.FileCount,
            TotalBytes = snapshot.TotalBytes,
            TotalRecords = partitions.Count == 0 ? 0 : partitions.All(p => p.Records is not null) ? partitions.Sum(p => p.Records!.Value) : null,
            Partitions = partitions,
            LatestCheckpointVersion = latestCheckpointVersion,
            ApplicationTransactions = [.. snapshot.TransactionsByApp.Values.OrderBy(t => t.AppId, StringComparer.Ordinal)],
        };
    }

    /// <summary>A type as Spark SQL spells it: <c>long</c>, <c>array&lt;string&gt;</c>, <c>map&lt;string,string&gt;</c>, <c>struct&lt;a:int&gt;</c>.</summary>
    public static string TypeName(DeltaType type) => type switch
    {
        PrimitiveType p => p.Name,
        ArrayType a => $"array<{TypeName(a.ElementType)}>",
        MapType m => $"map<{TypeName(m.KeyType)},{TypeName(m.ValueType)}>",
        StructType s => $"struct<{string.Join(",", s.Fields.Select(f => f.Name + ":" + TypeName(f.Type)))}>",
        _ => type.ToString(),
    };
}
