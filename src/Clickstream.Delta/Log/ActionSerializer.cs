using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clickstream.Delta.Log;

/// <summary>
/// Reads and writes commit files: newline-delimited JSON, one action per line, compact UTF-8 without a BOM.
/// Optional fields are omitted rather than written as null (except null partition values, where null means
/// SQL NULL). Unknown actions and fields are ignored on read.
/// </summary>
public static class ActionSerializer
{
    /// <summary>Serialises a commit: one line per action, each ending in '\n'.</summary>
    public static byte[] Serialize(IEnumerable<DeltaAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var buffer = new ArrayBufferWriter<byte>(4096);
        foreach (var action in actions)
        {
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                Write(writer, action);
            }

            buffer.Write("\n"u8);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses a commit file; blank lines are skipped, unknown actions ignored.</summary>
    public static List<DeltaAction> Parse(ReadOnlySpan<byte> content, string source)
    {
        var actions = new List<DeltaAction>();
        var lineNumber = 0;
        while (!content.IsEmpty)
        {
            lineNumber++;
            var end = content.IndexOf((byte)'\n');
            var line = end < 0 ? content : content[..end];
            content = end < 0 ? [] : content[(end + 1)..];
            if (line.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            JsonObject? obj;
            try
            {
                obj = JsonNode.Parse(line) as JsonObject;
            }
            catch (JsonException e)
            {
                throw new DeltaFormatException($"{source}:{lineNumber}: not a JSON action: {e.Message}", e);
            }

            if (obj is null)
            {
                throw new DeltaFormatException($"{source}:{lineNumber}: an action must be a JSON object");
            }

            try
            {
                if (ParseAction(obj) is { } action)
                {
                    actions.Add(action);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException)
            {
                throw new DeltaFormatException($"{source}:{lineNumber}: malformed action: {e.Message}", e);
            }
        }

        return actions;
    }

    /// <summary>Parses one action object, or returns null for an action this library does not know.</summary>
    public static DeltaAction? ParseAction(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        foreach (var (name, value) in obj)
        {
            if (value is not JsonObject body)
            {
                continue;
            }

            switch (name)
            {
                case "add":
                    return new AddAction(
                        Required<string>(body, "path", name),
                        StringMap(body["partitionValues"]) ?? new Dictionary<string, string?>(),
                        Required<long>(body, "size", name),
                        Required<long>(body, "modificationTime", name),
                        Optional<bool>(body, "dataChange") ?? true,
                        OptionalString(body, "stats"),
                        NonNullMap(body["tags"]));
                case "remove":
                    return new RemoveAction(
                        Required<string>(body, "path", name),
                        Optional<long>(body, "deletionTimestamp"),
                        Optional<bool>(body, "dataChange") ?? true,
                        Optional<bool>(body, "extendedFileMetadata"),
                        StringMap(body["partitionValues"]),
                        Optional<long>(body, "size"));
                case "metaData":
                    var format = body["format"] as JsonObject;
                    return new MetadataAction(
                        Required<string>(body, "id", name),
                        Required<string>(body, "schemaString", name),
                        body["partitionColumns"] is JsonArray pcs ? [.. pcs.Select(p => (string)p!)] : [],
                        NonNullMap(body["configuration"]) ?? new Dictionary<string, string>(),
                        Optional<long>(body, "createdTime"),
                        OptionalString(body, "name"),
                        OptionalString(body, "description"),
                        format is null ? "parquet" : OptionalString(format, "provider") ?? "parquet",
                        format is null ? null : NonNullMap(format["options"]));
                case "protocol":
                    return new ProtocolAction(
                        Required<int>(body, "minReaderVersion", name),
                        Required<int>(body, "minWriterVersion", name),
                        body["readerFeatures"] is JsonArray rf ? [.. rf.Select(f => (string)f!)] : null,
                        body["writerFeatures"] is JsonArray wf ? [.. wf.Select(f => (string)f!)] : null);
                case "txn":
                    return new TxnAction(Required<string>(body, "appId", name), Required<long>(body, "version", name), Optional<long>(body, "lastUpdated"));
                case "commitInfo":
                    return new CommitInfoAction((JsonObject)body.DeepClone());
                case "cdc":
                    return new CdcAction(Required<string>(body, "path", name));
                case "domainMetadata":
                    return new DomainMetadataAction(Required<string>(body, "domain", name), OptionalString(body, "configuration") ?? "", Optional<bool>(body, "removed") ?? false);
                default:
                    continue;
            }
        }

        return null;
    }

    /// <summary>Writes one action as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, DeltaAction action)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        switch (action)
        {
            case CommitInfoAction c:
                writer.WritePropertyName("commitInfo");
                c.Value.WriteTo(writer);
                break;
            case ProtocolAction p:
                writer.WriteStartObject("protocol");
                writer.WriteNumber("minReaderVersion", p.MinReaderVersion);
                writer.WriteNumber("minWriterVersion", p.MinWriterVersion);
                WriteList(writer, "readerFeatures", p.ReaderFeatures);
                WriteList(writer, "writerFeatures", p.WriterFeatures);
                writer.WriteEndObject();
                break;
            case MetadataAction m:
                writer.WriteStartObject("metaData");
                writer.WriteString("id", m.Id);
                if (m.Name is not null)
                {
                    writer.WriteString("name", m.Name);
                }

                if (m.Description is not null)
                {
                    writer.WriteString("description", m.Description);
                }

                writer.WriteStartObject("format");
                writer.WriteString("provider", m.Provider);
                WriteMap(writer, "options", m.FormatOptions ?? new Dictionary<string, string>());
                writer.WriteEndObject();
                writer.WriteString("schemaString", m.SchemaString);
                WriteList(writer, "partitionColumns", m.PartitionColumns);
                WriteMap(writer, "configuration", m.Configuration);
                if (m.CreatedTime is { } created)
                {
                    writer.WriteNumber("createdTime", created);
                }

                writer.WriteEndObject();
                break;
            case AddAction a:
                writer.WriteStartObject("add");
                writer.WriteString("path", a.Path);
                WriteNullableMap(writer, "partitionValues", a.PartitionValues);
                writer.WriteNumber("size", a.Size);
                writer.WriteNumber("modificationTime", a.ModificationTime);
                writer.WriteBoolean("dataChange", a.DataChange);
                if (a.Stats is not null)
                {
                    writer.WriteString("stats", a.Stats);
                }

                if (a.Tags is not null)
                {
                    WriteMap(writer, "tags", a.Tags);
                }

                writer.WriteEndObject();
                break;
            case RemoveAction r:
                writer.WriteStartObject("remove");
                writer.WriteString("path", r.Path);
                if (r.DeletionTimestamp is { } ts)
                {
                    writer.WriteNumber("deletionTimestamp", ts);
                }

                writer.WriteBoolean("dataChange", r.DataChange);
                if (r.ExtendedFileMetadata is { } ext)
                {
                    writer.WriteBoolean("extendedFileMetadata", ext);
                }

                if (r.PartitionValues is not null)
                {
                    WriteNullableMap(writer, "partitionValues", r.PartitionValues);
                }

                if (r.Size is { } size)
                {
                    writer.WriteNumber("size", size);
                }

                writer.WriteEndObject();
                break;
            case TxnAction t:
                writer.WriteStartObject("txn");
                writer.WriteString("appId", t.AppId);
                writer.WriteNumber("version", t.Version);
                if (t.LastUpdated is { } lu)
                {
                    writer.WriteNumber("lastUpdated", lu);
                }

                writer.WriteEndObject();
                break;
            case DomainMetadataAction d:
                writer.WriteStartObject("domainMetadata");
                writer.WriteString("domain", d.Domain);
                writer.WriteString("configuration", d.Configuration);
                writer.WriteBoolean("removed", d.Removed);
                writer.WriteEndObject();
                break;
            case CdcAction:
                throw new NotSupportedException("this library does not write change data files");
            default:
                throw new ArgumentException($"unknown action {action.GetType().Name}", nameof(action));
        }

        writer.WriteEndObject();
    }

    private static T Required<T>(JsonObject body, string field, string action) =>
        body[field] is JsonValue v && v.TryGetValue<T>(out var value)
            ? value
            : body[field] is JsonValue n && typeof(T) == typeof(long) && n.TryGetValue<double>(out var d) && d == Math.Floor(d)
                ? (T)(object)(long)d
                : throw new DeltaFormatException($"{action} action: missing or malformed \"{field}\"");

    private static T? Optional<T>(JsonObject body, string field)
        where T : struct =>
        body[field] is JsonValue v && v.TryGetValue<T>(out var value) ? value : null;

    private static string? OptionalString(JsonObject body, string field) =>
        body[field] is JsonValue v && v.TryGetValue<string>(out var value) ? value : null;

    private static Dictionary<string, string?>? StringMap(JsonNode? node) =>
        node is JsonObject obj ? obj.ToDictionary(kv => kv.Key, kv => kv.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : kv.Value?.ToJsonString()) : null;

    private static Dictionary<string, string>? NonNullMap(JsonNode? node) =>
        node is JsonObject obj ? obj.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : kv.Value!.ToJsonString()) : null;

    private static void WriteList(Utf8JsonWriter writer, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var v in values)
        {
            writer.WriteStringValue(v);
        }

        writer.WriteEndArray();
    }

    private static void WriteMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> map)
    {
        writer.WriteStartObject(name);
        foreach (var (k, v) in map)
        {
            writer.WriteString(k, v);
        }

        writer.WriteEndObject();
    }

    private static void WriteNullableMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string?> map)
    {
        writer.WriteStartObject(name);
        foreach (var (k, v) in map)
        {
            if (v is null)
            {
                writer.WriteNull(k);
            }
            else
            {
                writer.WriteString(k, v);
            }
        }

        writer.WriteEndObject();
    }
}
