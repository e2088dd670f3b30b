using System.Text.Json.Nodes;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Log;

/// <summary>One line of a Delta commit (protocol "Actions"). Unknown actions are skipped when reading.</summary>
public abstract record DeltaAction;

/// <summary>The table's protocol versions and, for reader 3 / writer 7, its features.</summary>
public sealed record ProtocolAction(int MinReaderVersion, int MinWriterVersion, IReadOnlyList<string>? ReaderFeatures = null, IReadOnlyList<string>? WriterFeatures = null) : DeltaAction
{
    /// <summary>The protocol this library writes: reader 1, writer 2, no table features.</summary>
    public static ProtocolAction Default { get; } = new(1, 2);
}

/// <summary>The table's metadata; a later one replaces the whole earlier one.</summary>
public sealed record MetadataAction(
    string Id,
    string SchemaString,
    IReadOnlyList<string> PartitionColumns,
    IReadOnlyDictionary<string, string> Configuration,
    long? CreatedTime = null,
    string? Name = null,
    string? Description = null,
    string Provider = "parquet",
    IReadOnlyDictionary<string, string>? FormatOptions = null) : DeltaAction
{
    private (string Source, StructType Parsed)? _schema;

    /// <summary>The parsed <see cref="SchemaString"/>.</summary>
    public StructType Schema
    {
        get
        {
            // A `with` copy shares the cache field, so the cache remembers which string it parsed.
            if (_schema is not { } cached || !ReferenceEquals(cached.Source, SchemaString))
            {
                _schema = cached = (SchemaString, StructType.FromJson(SchemaString));
            }

            return cached.Parsed;
        }
    }

    /// <summary>A table property, or null.</summary>
    public string? Property(string key) => Configuration.TryGetValue(key, out var v) ? v : null;
}

/// <summary>A data file that is part of the table.</summary>
/// <param name="Path">URI-encoded path relative to the table root (or absolute URI).</param>
/// <param name="PartitionValues">Serialised partition values; null means SQL NULL.</param>
/// <param name="Size">Exact size in bytes.</param>
/// <param name="ModificationTime">Creation time, ms since the epoch.</param>
/// <param name="DataChange">False for rewrites that do not change the data (compaction).</param>
/// <param name="Stats">Per-file statistics as a JSON string.</param>
/// <param name="Tags">Free-form tags.</param>
public sealed record AddAction(
    string Path,
    IReadOnlyDictionary<string, string?> PartitionValues,
    long Size,
    long ModificationTime,
    bool DataChange,
    string? Stats = null,
    IReadOnlyDictionary<string, string>? Tags = null) : DeltaAction;

/// <summary>A data file removed from the table (a tombstone until VACUUM).</summary>
public sealed record RemoveAction(
    string Path,
    long? DeletionTimestamp,
    bool DataChange,
    bool? ExtendedFileMetadata = null,
    IReadOnlyDictionary<string, string?>? PartitionValues = null,
    long? Size = null) : DeltaAction;

/// <summary>The latest batch version an application has committed (idempotent writes).</summary>
public sealed record TxnAction(string AppId, long Version, long? LastUpdated = null) : DeltaAction;

/// <summary>Free-form information about a commit, kept as raw JSON.</summary>
public sealed record CommitInfoAction(JsonObject Value) : DeltaAction
{
    /// <summary>The commit timestamp (ms), when present.</summary>
    public long? Timestamp => Value["timestamp"] is JsonValue v && v.TryGetValue<long>(out var t) ? t : null;

    /// <summary>The operation name, when present.</summary>
    public string? Operation => Value["operation"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Our unique commit id, when present.</summary>
    public string? TxnId => Value["txnId"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>A change-data file (read only to be skipped: this library does not enable change data feed).</summary>
public sealed record CdcAction(string Path) : DeltaAction;

/// <summary>Domain metadata (kept in snapshots, never written by this library).</summary>
public sealed record DomainMetadataAction(string Domain, string Configuration, bool Removed) : DeltaAction;
