using System.Globalization;
using Clickstream.Delta.Log;

namespace Clickstream.Delta.Table;

/// <summary>
/// One optimistic transaction: collect actions, then commit them as the next version with put-if-absent. When
/// another writer wins the version, the winning commits are checked for conflicts (spec §5): a metadata or
/// protocol change, another instance of the same application (<c>txn</c>), a file both removed, or files added
/// in a partition this transaction read. Otherwise the same actions are retried at the next version.
/// </summary>
public sealed class Transaction
{
    private const int MaxAttempts = 1000;
    private readonly DeltaTable _table;
    private readonly List<AddAction> _adds = [];
    private readonly List<RemoveAction> _removes = [];
    private readonly Dictionary<string, string> _parameters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _metrics = new(StringComparer.Ordinal);
    private TxnAction? _txn;
    private MetadataAction? _metadata;
    private Func<IReadOnlyDictionary<string, string?>, bool>? _readPartitions;
    private bool _committed;

    internal Transaction(DeltaTable table, Snapshot readSnapshot)
    {
        _table = table;
        ReadSnapshot = readSnapshot;
    }

    /// <summary>Set by operations that rewrite the Spectrum manifests themselves and report what they did.</summary>
    internal bool WritesOwnManifests { get; set; }

    /// <summary>The snapshot this transaction read.</summary>
    public Snapshot ReadSnapshot { get; }

    /// <summary>The operation recorded in commitInfo (e.g. <c>WRITE</c>, <c>STREAMING UPDATE</c>, <c>OPTIMIZE</c>).</summary>
    public string Operation { get; set; } = "WRITE";

    /// <summary>Adds an operation parameter (commitInfo keeps every value as a string).</summary>
    public Transaction WithParameter(string key, string value)
    {
        _parameters[key] = value;
        return this;
    }

    /// <summary>Adds an operation metric (as a string).</summary>
    public Transaction WithMetric(string key, long value)
    {
        _metrics[key] = value.ToString(CultureInfo.InvariantCulture);
        return this;
    }

    /// <summary>Adds a data file.</summary>
    public Transaction Add(AddAction add)
    {
        ArgumentNullException.ThrowIfNull(add);
        _adds.Add(add);
        return this;
    }

    /// <summary>Removes a live file of the read snapshot.</summary>
    public Transaction Remove(AddAction file, bool dataChange, long? deletionTimestamp = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        _removes.Add(new RemoveAction(file.Path, deletionTimestamp ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), dataChange, true, file.PartitionValues, file.Size));
        return this;
    }

    /// <summary>Records that <paramref name="appId"/> has committed its batch <paramref name="version"/> in this commit.</summary>
    public Transaction SetApplicationTransaction(string appId, long version)
    {
        ArgumentException.ThrowIfNullOrEmpty(appId);
        _txn = new TxnAction(appId, version, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return this;
    }

    /// <summary>Replaces the table metadata (same id; e.g. a schema with appended nullable columns).</summary>
    public Transaction UpdateMetadata(MetadataAction metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.Id != ReadSnapshot.Metadata.Id)
        {
            throw new ArgumentException("the table id must not change", nameof(metadata));
        }

        if (!metadata.PartitionColumns.SequenceEqual(ReadSnapshot.PartitionColumns, StringComparer.Ordinal))
        {
            throw new DeltaSchemaException("the partition columns of a table cannot change");
        }

        SchemaRules.ValidateEvolution(ReadSnapshot.Schema, metadata.Schema);
        _metadata = metadata;
        return this;
    }

    /// <summary>
    /// Declares that this transaction's outcome depends on the files of the partitions matching
    /// <paramref name="predicate"/> (compaction, retention): files added there by a concurrent commit fail it.
    /// </summary>
    public Transaction ReadsPartitions(Func<IReadOnlyDictionary<string, string?>, bool> predicate)
    {
        _readPartitions = predicate;
        return this;
    }

    /// <summary>
    /// Commits. Returns the version written, or, when the same application's <c>txn</c> at or beyond this batch
    /// is already in the table, the version holding it with <see cref="CommitResult.AlreadyCommitted"/> set
    /// (the data files written for this attempt are then orphans for VACUUM).
    /// </summary>
    public async Task<CommitResult> CommitAsync(CancellationToken cancellationToken = default)
    {
        if (_committed)
        {
            throw new InvalidOperationException("the transaction was already committed");
        }

        Validate();
        if (_txn is { } txn && ReadSnapshot.TransactionVersion(txn.AppId) is { } done && done >= txn.Version)
        {
            _committed = true;
            return new CommitResult(ReadSnapshot.Version, AlreadyCommitted: true);
        }

        var txnId = Guid.NewGuid().ToString();
        var attempt = ReadSnapshot.Version + 1;
        var readVersion = ReadSnapshot.Version;
        var checkedUpTo = ReadSnapshot.Version;
        for (var tries = 0; tries < MaxAttempts; tries++)
        {
            var content = ActionSerializer.Serialize(Actions(readVersion, txnId));
            if (await _table.Store.PutIfAbsentAsync(DeltaPaths.CommitKey(attempt), content, cancellationToken).ConfigureAwait(false))
            {
                _committed = true;
                return new CommitResult(attempt, AlreadyCommitted: false, await PostCommitAsync(attempt, cancellationToken).ConfigureAwait(false));
            }

            // Someone else holds this version (or an earlier attempt of ours whose answer was lost).
            for (var v = checkedUpTo + 1; ; v++)
            {
                List<DeltaAction> winner;
                try
                {
                    winner = await _table.ReadCommitAsync(v, cancellationToken).ConfigureAwait(false);
                }
                catch (DeltaVersionNotFoundException)
                {
                    attempt = v;
                    break;
                }

                if (winner.OfType<CommitInfoAction>().Any(c => c.TxnId == txnId))
                {
                    _committed = true;
                    return new CommitResult(v, AlreadyCommitted: false, await PostCommitAsync(v, cancellationToken).ConfigureAwait(false));
                }

                if (CheckConflicts(v, winner) is { } duplicate)
                {
                    _committed = true;
                    return duplicate;
                }

                checkedUpTo = v;
                readVersion = v;
            }
        }

        throw new ConcurrentModificationException($"{_table.Name}: gave up after {MaxAttempts} attempts to commit; the table is changing too fast");
    }

    private void Validate()
    {
        var snapshot = ReadSnapshot;
        ProtocolSupport.EnsureWritable(snapshot.Protocol, _metadata ?? snapshot.Metadata, _table.Name);
        if (_removes.Any(r => r.DataChange) && ProtocolSupport.IsAppendOnly(_metadata ?? snapshot.Metadata))
        {
            throw new DeltaFormatException($"{_table.Name}: the table is append-only (delta.appendOnly=true); data cannot be removed");
        }

        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in _adds)
        {
            if (!paths.Add("a" + DeltaPaths.FromUriPath(a.Path)))
            {
                throw new ArgumentException($"file {a.Path} is added twice in one commit");
            }

            var missing = snapshot.PartitionColumns.Where(c => !a.PartitionValues.ContainsKey(c)).ToList();
            if (missing.Count > 0 || a.PartitionValues.Count != snapshot.PartitionColumns.Count)
            {
                throw new ArgumentException($"file {a.Path}: partition values must name exactly the partition columns [{string.Join(", ", snapshot.PartitionColumns)}]");
            }

            // Every reader parses these strings by the column's type: a malformed one would make the table unreadable.
            foreach (var column in snapshot.PartitionColumns)
            {
                var type = (_metadata ?? snapshot.Metadata).Schema.Find(column)!.Type;
                try
                {
                    _ = PartitionValues.Parse(a.PartitionValues[column], type);
                }
                catch (DeltaFormatException e)
                {
                    throw new ArgumentException($"file {a.Path}: {e.Message}", e);
                }
            }
        }

        foreach (var r in _removes)
        {
            var key = DeltaPaths.FromUriPath(r.Path);
            if (!paths.Add("r" + key) || paths.Contains("a" + key))
            {
                throw new ArgumentException($"file {r.Path} is removed twice, or added and removed, in one commit");
            }

            if (!snapshot.FilesByKey.ContainsKey(key))
            {
                throw new ConcurrentModificationException($"{_table.Name}: file {r.Path} is not live in version {snapshot.Version}");
            }
        }
    }

    private IEnumerable<DeltaAction> Actions(long readVersion, string txnId)
    {
        var blind = _removes.Count == 0 && _readPartitions is null && _metadata is null;
        var metrics = new Dictionary<string, string>(_metrics, StringComparer.Ordinal);
        metrics.TryAdd("numFiles", _adds.Count.ToString(CultureInfo.InvariantCulture));
        metrics.TryAdd("numOutputBytes", _adds.Sum(a => a.Size).ToString(CultureInfo.InvariantCulture));
        if (_removes.Count > 0)
        {
            metrics.TryAdd("numRemovedFiles", _removes.Count.ToString(CultureInfo.InvariantCulture));
        }

        yield return DeltaTable.CommitInfo(Operation, _parameters, readVersion, blind, metrics, txnId);
        if (_metadata is not null)
        {
            yield return _metadata;
        }

        if (_txn is not null)
        {
            yield return _txn;
        }

        foreach (var r in _removes)
        {
            yield return r;
        }

        foreach (var a in _adds)
        {
            yield return a;
        }
    }

    private CommitResult? CheckConflicts(long version, List<DeltaAction> winner)
    {
        var name = _table.Name;
        if (winner.OfType<ProtocolAction>().Any())
        {
            throw new ConcurrentModificationException($"{name}: version {version} changed the protocol while this transaction ran");
        }

        if (winner.OfType<MetadataAction>().Any())
        {
            throw new ConcurrentModificationException($"{name}: version {version} changed the metadata (schema or properties) while this transaction ran; retry on the new snapshot");
        }

        if (_txn is { } ours && winner.OfType<TxnAction>().FirstOrDefault(t => t.AppId == ours.AppId) is { } theirs)
        {
            if (theirs.Version >= ours.Version)
            {
                return new CommitResult(version, AlreadyCommitted: true);
            }

            throw new ConcurrentApplicationException($"{name}: another writer of application {ours.AppId} committed its batch {theirs.Version} in version {version} while this one writes batch {ours.Version}; two instances of one stream are running");
        }

        if (_removes.Count > 0)
        {
            var removedByThem = winner.OfType<RemoveAction>().Select(r => DeltaPaths.FromUriPath(r.Path)).ToHashSet(StringComparer.Ordinal);
            if (_removes.FirstOrDefault(r => removedByThem.Contains(DeltaPaths.FromUriPath(r.Path))) is { } both)
            {
                throw new ConcurrentModificationException($"{name}: version {version} also removed {both.Path} (concurrent delete)");
            }
        }

        if (_readPartitions is { } read && winner.OfType<AddAction>().FirstOrDefault(a => a.DataChange && read(a.PartitionValues)) is { } added)
        {
            throw new ConcurrentModificationException($"{name}: version {version} added {added.Path} to a partition this transaction read (concurrent append)");
        }

        return null;
    }

    /// <summary>
    /// After a successful commit: the Spectrum manifests of the touched partitions (when the table keeps them),
    /// then the checkpoint and log cleanup when the version is a multiple of <c>delta.checkpointInterval</c>. The
    /// commit stands whatever happens here, so a failure is returned (for the caller to report), not thrown.
    /// </summary>
    private async Task<Exception?> PostCommitAsync(long version, CancellationToken cancellationToken)
    {
        try
        {
            var snapshot = await _table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!WritesOwnManifests && Maintenance.SymlinkManifest.IsEnabled(snapshot))
            {
                var touched = _adds.Select(a => a.PartitionValues).Concat(_removes.Select(r => r.PartitionValues ?? new Dictionary<string, string?>()));
                await Maintenance.SymlinkManifest.UpdateAsync(_table, snapshot, touched, cancellationToken).ConfigureAwait(false);
            }

            var interval = int.TryParse(snapshot.Property("delta.checkpointInterval"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i > 0 ? i : 10;
            if (version != 0 && version % interval == 0)
            {
                var atVersion = snapshot.Version == version ? snapshot : await _table.GetSnapshotAsync(version, cancellationToken).ConfigureAwait(false);
                await Checkpoints.WriteAsync(_table, atVersion, cancellationToken).ConfigureAwait(false);
                await Checkpoints.CleanUpLogAsync(_table, atVersion, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            }

            return null;
        }
        catch (Exception e)
        {
            // Cancellation included: the version is written whatever happens here.
            return e;
        }
    }
}

/// <summary>The outcome of a commit.</summary>
/// <param name="Version">The version written, or the one already holding this application's batch.</param>
/// <param name="AlreadyCommitted">True when nothing was written because the batch was already in the table.</param>
/// <param name="PostCommitFailure">
/// A failure after the commit landed (writing manifests or the checkpoint); the commit stands, and the next
/// checkpoint or <c>lake manifest</c> repairs what was missed.
/// </param>
public readonly record struct CommitResult(long Version, bool AlreadyCommitted, Exception? PostCommitFailure = null);

/// <summary>A concurrent commit conflicts with this transaction; nothing was committed. Re-reading the table and retrying may succeed.</summary>
public sealed class ConcurrentModificationException(string message) : DeltaFormatException(message);

/// <summary>
/// Another writer with this transaction's application id committed a smaller batch meanwhile: two instances of one
/// stream are running. Nothing was committed, and retrying would not be safe.
/// </summary>
public sealed class ConcurrentApplicationException(string message) : DeltaFormatException(message);
