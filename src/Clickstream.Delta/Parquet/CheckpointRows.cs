using Clickstream.Delta.Log;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// Converts actions to and from checkpoint rows in the shape of <see cref="CheckpointSchema"/>: a row is an
/// <c>object?[]</c> with one struct per action type, exactly one of them set. Optional fields follow the
/// conventions of the JSON commits (<see cref="ActionSerializer"/>).
/// </summary>
internal static class CheckpointRows
{
    /// <summary>The checkpoint row of one action.</summary>
    /// <exception cref="ArgumentException">The action never appears in a checkpoint (commitInfo, cdc).</exception>
    public static object?[] ToRow(DeltaAction action)
    {
        var row = new object?[CheckpointSchema.Schema.Fields.Count];
        switch (action)
        {
            case TxnAction t:
                row[CheckpointSchema.Txn] = new object?[] { t.AppId, t.Version, t.LastUpdated };
                break;
            case AddAction a:
                // deletionVector, baseRowId and defaultRowCommitVersion stay null: those features are never enabled.
                row[CheckpointSchema.Add] = new object?[]
                {
                    a.Path, Map(a.PartitionValues), a.Size, a.ModificationTime, a.DataChange, Map(a.Tags), null, null, null, a.Stats,
                };
                break;
            case RemoveAction r:
                // A checkpoint's remove carries neither stats nor tags (the action has neither field).
                row[CheckpointSchema.Remove] = new object?[]
                {
                    r.Path, r.DeletionTimestamp, r.DataChange, r.ExtendedFileMetadata, Map(r.PartitionValues), r.Size, null, null, null,
                };
                break;
            case MetadataAction m:
                row[CheckpointSchema.MetaData] = new object?[]
                {
                    m.Id, m.Name, m.Description,
                    new object?[] { m.Provider, Map(m.FormatOptions ?? new Dictionary<string, string>()) },
                    m.SchemaString, m.PartitionColumns.ToArray<object?>(), Map(m.Configuration), m.CreatedTime,
                };
                break;
            case ProtocolAction p:
                row[CheckpointSchema.Protocol] = new object?[]
                {
                    p.MinReaderVersion, p.MinWriterVersion, p.ReaderFeatures?.ToArray<object?>(), p.WriterFeatures?.ToArray<object?>(),
                };
                break;
            case DomainMetadataAction d:
                row[CheckpointSchema.DomainMetadata] = new object?[] { d.Domain, d.Configuration, d.Removed };
                break;
            case CommitInfoAction or CdcAction:
                throw new ArgumentException($"a checkpoint never holds {action.GetType().Name} actions", nameof(action));
            default:
                throw new ArgumentException($"unknown action {action.GetType().Name}", nameof(action));
        }

        return row;
    }

    /// <summary>The action of a checkpoint row, or null for a row that holds none.</summary>
    /// <exception cref="DeltaFormatException">The row holds several actions, lacks a required field, or uses deletion vectors.</exception>
    public static DeltaAction? FromRow(object?[] row, long rowNumber)
    {
        DeltaAction? action = null;
        for (var column = 0; column < row.Length; column++)
        {
            if (row[column] is not object?[] fields)
            {
                continue;
            }

            if (action is not null)
            {
                throw new DeltaFormatException($"checkpoint row {rowNumber} holds more than one action");
            }

            var reader = new FieldReader(fields, CheckpointSchema.Schema.Fields[column].Name, rowNumber);
            action = column switch
            {
                CheckpointSchema.Txn => new TxnAction(reader.Required<string>(0, "appId"), reader.Required<long>(1, "version"), reader.Optional<long>(2)),
                CheckpointSchema.Add => ReadAdd(reader),
                CheckpointSchema.Remove => ReadRemove(reader),
                CheckpointSchema.MetaData => ReadMetadata(reader),
                CheckpointSchema.Protocol => new ProtocolAction(
                    reader.Required<int>(0, "minReaderVersion"), reader.Required<int>(1, "minWriterVersion"), reader.StringList(2), reader.StringList(3)),
                _ => new DomainMetadataAction(reader.Required<string>(0, "domain"), reader.String(1) ?? "", reader.Optional<bool>(2) ?? false),
            };
        }

        return action;
    }

    private static AddAction ReadAdd(FieldReader reader)
    {
        reader.RejectDeletionVector(6);
        return new AddAction(
            reader.Required<string>(0, "path"),
            reader.NullableMap(1) ?? new Dictionary<string, string?>(),
            reader.Required<long>(2, "size"),
            reader.Required<long>(3, "modificationTime"),
            reader.Optional<bool>(4) ?? true,
            reader.String(9),
            reader.Map(5));
    }

    private static RemoveAction ReadRemove(FieldReader reader)
    {
        reader.RejectDeletionVector(6);
        return new RemoveAction(
            reader.Required<string>(0, "path"),
            reader.Optional<long>(1),
            reader.Optional<bool>(2) ?? true,
            reader.Optional<bool>(3),
            reader.NullableMap(4),
            reader.Optional<long>(5));
    }

    private static MetadataAction ReadMetadata(FieldReader reader)
    {
        var format = reader.Struct(3);
        return new MetadataAction(
            reader.Required<string>(0, "id"),
            reader.Required<string>(4, "schemaString"),
            reader.StringList(5) ?? [],
            reader.Map(6) ?? new Dictionary<string, string>(),
            reader.Optional<long>(7),
            reader.String(1),
            reader.String(2),
            format?.String(0) ?? "parquet",
            format?.Map(1));
    }

    private static KeyValuePair<object, object?>[]? Map<TValue>(IReadOnlyDictionary<string, TValue>? map)
    {
        if (map is null)
        {
            return null;
        }

        var entries = new KeyValuePair<object, object?>[map.Count];
        var i = 0;
        foreach (var (key, value) in map)
        {
            entries[i++] = new KeyValuePair<object, object?>(key, value);
        }

        return entries;
    }

    /// <summary>Typed access to the fields of one action struct, with errors that name the action and the row.</summary>
    private readonly struct FieldReader(object?[] fields, string action, long rowNumber)
    {
        public T Required<T>(int index, string name)
            where T : notnull =>
            fields[index] is T value ? value : throw new DeltaFormatException($"checkpoint row {rowNumber}: {action} without \"{name}\"");

        public T? Optional<T>(int index)
            where T : struct =>
            fields[index] is T value ? value : null;

        public string? String(int index) => fields[index] as string;

        public FieldReader? Struct(int index) => fields[index] is object?[] inner ? new FieldReader(inner, action, rowNumber) : null;

        public string[]? StringList(int index)
        {
            if (fields[index] is not object?[] items)
            {
                return null;
            }

            var strings = new string[items.Length];
            for (var i = 0; i < items.Length; i++)
            {
                strings[i] = items[i] as string ?? throw new DeltaFormatException($"checkpoint row {rowNumber}: {action} list holds a null");
            }

            return strings;
        }

        /// <summary>A map whose null values mean SQL NULL (partition values).</summary>
        public Dictionary<string, string?>? NullableMap(int index) =>
            fields[index] is Dictionary<string, object?> map ? map.ToDictionary(kv => kv.Key, kv => kv.Value as string, StringComparer.Ordinal) : null;

        /// <summary>A map of non-null strings; entries with null values are dropped, as in JSON commits.</summary>
        public Dictionary<string, string>? Map(int index) =>
            fields[index] is Dictionary<string, object?> map
                ? map.Where(kv => kv.Value is string).ToDictionary(kv => kv.Key, kv => (string)kv.Value!, StringComparer.Ordinal)
                : null;

        public void RejectDeletionVector(int index)
        {
            if (fields[index] is not null)
            {
                throw new DeltaFormatException($"checkpoint row {rowNumber}: {action} has a deletion vector, which this library does not support");
            }
        }
    }
}
