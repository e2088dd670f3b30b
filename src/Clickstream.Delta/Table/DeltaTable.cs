using System.Text.Json;
using System.Text.Json.Nodes;
using Clickstream.Delta.Log;
using Clickstream.Delta.Parquet;
using Clickstream.Delta.Storage;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Table;

/// <summary>
/// A Delta table in an object store: snapshots (latest or by version) rebuilt from JSON commits, Parquet
/// checkpoints and <c>_last_checkpoint</c>; transactions with optimistic concurrency; history.
/// Thread-safe; the latest snapshot is cached and advanced incrementally.
/// </summary>
public sealed class DeltaTable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Snapshot? _latest;

    private DeltaTable(IObjectStore store, string name)
    {
        Store = store;
        Name = name;
    }

    /// <summary>The store holding the table (rooted at the table folder).</summary>
    public IObjectStore Store { get; }

    /// <summary>A display name for messages (the table's location).</summary>
    public string Name { get; }

    /// <summary>Opens the table at the root of <paramref name="store"/> (which need not exist yet).</summary>
    public static DeltaTable Open(IObjectStore store, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new DeltaTable(store, name ?? store.Locate("_delta_log").TrimEnd('/')[..^"_delta_log".Length].TrimEnd('/', '\\'));
    }

    /// <summary>Opens the table in a local folder.</summary>
    public static DeltaTable OpenLocal(string folder) => Open(new LocalObjectStore(folder), Path.GetFullPath(folder));

    /// <summary>Whether version 0 of the table exists.</summary>
    public async Task<bool> ExistsAsync(CancellationToken cancellationToken = default) =>
        (await Store.ListAsync(DeltaPaths.LogFolder, cancellationToken).ConfigureAwait(false)).Any(f => f.Key.EndsWith(".json", StringComparison.Ordinal) || f.Key.Contains(".checkpoint.", StringComparison.Ordinal));

    /// <summary>
    /// Creates the table (commit 0: protocol reader 1 / writer 2 and the metadata). If the table already exists,
    /// its latest snapshot is returned when it has the same partition columns, and an error is raised otherwise;
    /// whether its columns suit the caller is the caller's to check (they may have been evolved since).
    /// </summary>
    public async Task<Snapshot> CreateIfAbsentAsync(StructType schema, IReadOnlyList<string> partitionColumns, IReadOnlyDictionary<string, string>? configuration = null, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(partitionColumns);
        SchemaRules.ValidateNewTable(schema, partitionColumns);
        if (!await ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            var metadata = new MetadataAction(
                Guid.NewGuid().ToString(),
                schema.ToJson(),
                partitionColumns,
                configuration ?? new Dictionary<string, string>(),
                DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                name);
            var commitInfo = CommitInfo("CREATE TABLE", new Dictionary<string, string>
            {
                ["partitionBy"] = JsonSerializer.Serialize(partitionColumns),
                ["description"] = name ?? "",
                ["properties"] = JsonSerializer.Serialize(configuration ?? new Dictionary<string, string>()),
            }, readVersion: null, isBlindAppend: true, metrics: null, txnId: Guid.NewGuid().ToString());
            var content = ActionSerializer.Serialize([commitInfo, ProtocolAction.Default, metadata]);
            await Store.PutIfAbsentAsync(DeltaPaths.CommitKey(0), content, cancellationToken).ConfigureAwait(false);
        }

        var snapshot = await GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!snapshot.PartitionColumns.SequenceEqual(partitionColumns, StringComparer.OrdinalIgnoreCase))
        {
            throw new DeltaFormatException($"{Name}: the table is partitioned by [{string.Join(", ", snapshot.PartitionColumns)}], not [{string.Join(", ", partitionColumns)}]");
        }

        return snapshot;
    }

    /// <summary>The snapshot at <paramref name="version"/>, or the latest one.</summary>
    public async Task<Snapshot> GetSnapshotAsync(long? version = null, CancellationToken cancellationToken = default)
    {
        if (version is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(version), "versions start at 0");
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var listing = await LogListing.ReadAsync(Store, cancellationToken).ConfigureAwait(false);
            if (listing.Commits.Count == 0 && listing.Checkpoints.Count == 0)
            {
                throw new DeltaTableNotFoundException($"{Name} is not a Delta table: {DeltaPaths.LogFolder} holds no commits");
            }

            var latest = Math.Max(listing.Commits.Count > 0 ? listing.Commits.Keys.Max() : -1, listing.Checkpoints.Count > 0 ? listing.Checkpoints.Keys.Max() : -1);
            var target = version ?? latest;
            if (target > latest)
            {
                throw new DeltaVersionNotFoundException($"{Name}: version {target} does not exist (latest is {latest})");
            }

            // Advance the cached latest snapshot when it is on the way to the target.
            if (_latest is { } cached && cached.Version <= target && Contiguous(listing, cached.Version + 1, target))
            {
                var advanced = await ReplayAsync(new Snapshot.Builder(cached), listing, cached.Version + 1, target, cancellationToken).ConfigureAwait(false);
                if (version is null || target == latest)
                {
                    _latest = advanced;
                }

                return advanced;
            }

            var snapshot = await LoadAsync(listing, target, cancellationToken).ConfigureAwait(false);
            if (target == latest)
            {
                _latest = snapshot;
            }

            return snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The commits of the table, newest first.</summary>
    public async Task<IReadOnlyList<CommitSummary>> HistoryAsync(int? limit = null, CancellationToken cancellationToken = default)
    {
        var listing = await LogListing.ReadAsync(Store, cancellationToken).ConfigureAwait(false);
        var result = new List<CommitSummary>();
        foreach (var (version, file) in listing.Commits.Reverse())
        {
            if (limit is { } l && result.Count >= l)
            {
                break;
            }

            var actions = await ReadCommitAsync(version, cancellationToken).ConfigureAwait(false);
            var info = actions.OfType<CommitInfoAction>().FirstOrDefault();
            result.Add(new CommitSummary(
                version,
                info?.Timestamp ?? file.LastModified.ToUnixTimeMilliseconds(),
                info?.Operation ?? "UNKNOWN",
                info?.Value["operationParameters"] as JsonObject,
                info?.Value["operationMetrics"] as JsonObject,
                actions.OfType<AddAction>().Count(),
                actions.OfType<RemoveAction>().Count(),
                actions.OfType<AddAction>().Sum(a => a.Size),
                actions.OfType<TxnAction>().FirstOrDefault()));
        }

        return result;
    }

    /// <summary>Starts a transaction that reads <paramref name="snapshot"/>.</summary>
    public Transaction StartTransaction(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new Transaction(this, snapshot);
    }

    /// <summary>Reads and parses one commit file.</summary>
    public async Task<List<DeltaAction>> ReadCommitAsync(long version, CancellationToken cancellationToken = default)
    {
        var key = DeltaPaths.CommitKey(version);
        var bytes = await Store.ReadAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new DeltaVersionNotFoundException($"{Name}: commit {version} is missing ({key})");
        return ActionSerializer.Parse(bytes, $"{Name}/{key}");
    }

    internal void Remember(Snapshot snapshot)
    {
        if (_latest is null || snapshot.Version > _latest.Version)
        {
            _latest = snapshot;
        }
    }

    internal static CommitInfoAction CommitInfo(string operation, IReadOnlyDictionary<string, string> parameters, long? readVersion, bool isBlindAppend, IReadOnlyDictionary<string, string>? metrics, string txnId)
    {
        var info = new JsonObject
        {
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["operation"] = operation,
            ["operationParameters"] = new JsonObject(parameters.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
        };
        if (readVersion is { } rv)
        {
            info["readVersion"] = rv;
        }

        info["isolationLevel"] = "Serializable";
        info["isBlindAppend"] = isBlindAppend;
        if (metrics is not null)
        {
            info["operationMetrics"] = new JsonObject(metrics.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        }

        info["engineInfo"] = "Clickstream.Delta/" + (typeof(DeltaTable).Assembly.GetName().Version?.ToString(3) ?? "1.0.0");
        info["txnId"] = txnId;
        return new CommitInfoAction(info);
    }

    private static bool Contiguous(LogListing listing, long from, long to)
    {
        for (var v = from; v <= to; v++)
        {
            if (!listing.Commits.ContainsKey(v))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<Snapshot> LoadAsync(LogListing listing, long target, CancellationToken cancellationToken)
    {
        var checkpoint = listing.Checkpoints.Keys.Where(v => v <= target).DefaultIfEmpty(-1).Max();
        var builder = Snapshot.Empty();
        if (checkpoint >= 0)
        {
            foreach (var part in listing.Checkpoints[checkpoint])
            {
                var bytes = await Store.ReadAsync(part.Key, cancellationToken).ConfigureAwait(false)
                    ?? throw new DeltaFormatException($"{Name}: checkpoint {part.Key} vanished while reading");
                foreach (var action in await CheckpointParquet.ReadAsync(bytes, cancellationToken).ConfigureAwait(false))
                {
                    builder.Apply(action);
                }
            }

            builder.Version = checkpoint;
            builder.CheckpointVersion = checkpoint;
        }
        else if (!listing.Commits.ContainsKey(0))
        {
            throw new DeltaFormatException($"{Name}: the log has no checkpoint and no commit 0 (it starts at version {listing.Commits.Keys.DefaultIfEmpty(-1).Min()})");
        }

        return await ReplayAsync(builder, listing, checkpoint + 1, target, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Snapshot> ReplayAsync(Snapshot.Builder builder, LogListing listing, long from, long to, CancellationToken cancellationToken)
    {
        for (var v = from; v <= to; v++)
        {
            if (!listing.Commits.TryGetValue(v, out var file))
            {
                throw new DeltaFormatException($"{Name}: the log is missing commit {v} (versions must be contiguous up to {to})");
            }

            builder.Timestamp = null;
            foreach (var action in await ReadCommitAsync(v, cancellationToken).ConfigureAwait(false))
            {
                builder.Apply(action);
            }

            builder.Timestamp ??= file.LastModified.ToUnixTimeMilliseconds();
            builder.Version = v;
        }

        return builder.Build(Name);
    }
}

/// <summary>One commit in a table's history.</summary>
public sealed record CommitSummary(
    long Version,
    long TimestampMs,
    string Operation,
    JsonObject? OperationParameters,
    JsonObject? OperationMetrics,
    int FilesAdded,
    int FilesRemoved,
    long BytesAdded,
    TxnAction? Transaction);

/// <summary>The location holds no Delta table.</summary>
public sealed class DeltaTableNotFoundException(string message) : DeltaFormatException(message);

/// <summary>A requested version does not exist (or its log was cleaned up).</summary>
public sealed class DeltaVersionNotFoundException(string message) : DeltaFormatException(message);
