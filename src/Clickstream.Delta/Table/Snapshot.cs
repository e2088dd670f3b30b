using System.Collections.Immutable;
using Clickstream.Delta.Log;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Table;

/// <summary>
/// The state of a table at one version, rebuilt from its log: protocol, metadata, live files, tombstones,
/// application transaction versions. Immutable; applying a later commit gives a new snapshot.
/// </summary>
public sealed class Snapshot
{
    internal Snapshot(
        long version,
        ProtocolAction protocol,
        MetadataAction metadata,
        ImmutableDictionary<string, AddAction> files,
        ImmutableDictionary<string, RemoveAction> tombstones,
        ImmutableDictionary<string, TxnAction> transactions,
        ImmutableDictionary<string, DomainMetadataAction> domains,
        long? checkpointVersion,
        long? timestamp)
    {
        Version = version;
        Protocol = protocol;
        Metadata = metadata;
        FilesByKey = files;
        TombstonesByKey = tombstones;
        TransactionsByApp = transactions;
        Domains = domains;
        CheckpointVersion = checkpointVersion;
        Timestamp = timestamp;
    }

    /// <summary>The table version.</summary>
    public long Version { get; }

    /// <summary>The protocol in force.</summary>
    public ProtocolAction Protocol { get; }

    /// <summary>The metadata in force.</summary>
    public MetadataAction Metadata { get; }

    /// <summary>The table schema (partition columns included).</summary>
    public StructType Schema => Metadata.Schema;

    /// <summary>The partition columns.</summary>
    public IReadOnlyList<string> PartitionColumns => Metadata.PartitionColumns;

    /// <summary>Live data files in path order.</summary>
    public IEnumerable<AddAction> Files => FilesByKey.Values.OrderBy(a => a.Path, StringComparer.Ordinal);

    /// <summary>Number of live data files.</summary>
    public int FileCount => FilesByKey.Count;

    /// <summary>Live files keyed by their decoded path.</summary>
    public ImmutableDictionary<string, AddAction> FilesByKey { get; }

    /// <summary>Tombstones keyed by their decoded path (all of them; expiry is applied when checkpointing).</summary>
    public ImmutableDictionary<string, RemoveAction> TombstonesByKey { get; }

    /// <summary>The latest <c>txn</c> per application id.</summary>
    public ImmutableDictionary<string, TxnAction> TransactionsByApp { get; }

    /// <summary>Live domain metadata.</summary>
    public ImmutableDictionary<string, DomainMetadataAction> Domains { get; }

    /// <summary>The checkpoint the snapshot was loaded from, if any.</summary>
    public long? CheckpointVersion { get; }

    /// <summary>The commit timestamp (ms) of this version, when its commitInfo or file time is known.</summary>
    public long? Timestamp { get; }

    /// <summary>Total bytes of the live files.</summary>
    public long TotalBytes => FilesByKey.Values.Sum(f => f.Size);

    /// <summary>The last batch version committed by an application, or null.</summary>
    public long? TransactionVersion(string appId) => TransactionsByApp.TryGetValue(appId, out var t) ? t.Version : null;

    /// <summary>A table property, or the default.</summary>
    public string? Property(string key) => Metadata.Property(key);

    /// <summary>The empty state before version 0 (used while replaying).</summary>
    internal static Builder Empty() => new();

    /// <summary>A snapshot under construction: replays actions in version order.</summary>
    internal sealed class Builder
    {
        private readonly ImmutableDictionary<string, AddAction>.Builder _files;
        private readonly ImmutableDictionary<string, RemoveAction>.Builder _tombstones;
        private readonly ImmutableDictionary<string, TxnAction>.Builder _txns;
        private readonly ImmutableDictionary<string, DomainMetadataAction>.Builder _domains;

        public Builder()
        {
            _files = ImmutableDictionary.CreateBuilder<string, AddAction>(StringComparer.Ordinal);
            _tombstones = ImmutableDictionary.CreateBuilder<string, RemoveAction>(StringComparer.Ordinal);
            _txns = ImmutableDictionary.CreateBuilder<string, TxnAction>(StringComparer.Ordinal);
            _domains = ImmutableDictionary.CreateBuilder<string, DomainMetadataAction>(StringComparer.Ordinal);
        }

        public Builder(Snapshot from)
        {
            _files = from.FilesByKey.ToBuilder();
            _tombstones = from.TombstonesByKey.ToBuilder();
            _txns = from.TransactionsByApp.ToBuilder();
            _domains = from.Domains.ToBuilder();
            Protocol = from.Protocol;
            Metadata = from.Metadata;
            Version = from.Version;
            CheckpointVersion = from.CheckpointVersion;
            Timestamp = from.Timestamp;
        }

        public ProtocolAction? Protocol { get; private set; }

        public MetadataAction? Metadata { get; private set; }

        public long Version { get; set; } = -1;

        public long? CheckpointVersion { get; set; }

        public long? Timestamp { get; set; }

        public void Apply(DeltaAction action)
        {
            switch (action)
            {
                case ProtocolAction p:
                    Protocol = p;
                    break;
                case MetadataAction m:
                    Metadata = m;
                    break;
                case AddAction a:
                    var addKey = DeltaPaths.FromUriPath(a.Path);
                    _files[addKey] = a;
                    _tombstones.Remove(addKey);
                    break;
                case RemoveAction r:
                    var removeKey = DeltaPaths.FromUriPath(r.Path);
                    _files.Remove(removeKey);
                    _tombstones[removeKey] = r;
                    break;
                case TxnAction t:
                    _txns[t.AppId] = t;
                    break;
                case DomainMetadataAction d when d.Removed:
                    _domains.Remove(d.Domain);
                    break;
                case DomainMetadataAction d:
                    _domains[d.Domain] = d;
                    break;
                case CommitInfoAction c:
                    Timestamp = c.Timestamp ?? Timestamp;
                    break;
                default:
                    break; // cdc and unknown actions do not change the snapshot
            }
        }

        public Snapshot Build(string table)
        {
            if (Protocol is null)
            {
                throw new DeltaFormatException($"{table}: version {Version} has no protocol action in its log");
            }

            if (Metadata is null)
            {
                throw new DeltaFormatException($"{table}: version {Version} has no metaData action in its log");
            }

            ProtocolSupport.EnsureReadable(Protocol, table);
            return new Snapshot(Version, Protocol, Metadata, _files.ToImmutable(), _tombstones.ToImmutable(), _txns.ToImmutable(), _domains.ToImmutable(), CheckpointVersion, Timestamp);
        }
    }
}
