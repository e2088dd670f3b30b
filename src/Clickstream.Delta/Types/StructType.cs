using System.Collections.ObjectModel;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clickstream.Delta.Types;

/// <summary>A named column of a struct.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Type">Column type.</param>
/// <param name="Nullable">Whether the column may hold nulls.</param>
/// <param name="Metadata">Column metadata as raw JSON (usually empty).</param>
public sealed record StructField(string Name, DeltaType Type, bool Nullable = true, JsonObject? Metadata = null)
{
    /// <inheritdoc />
    public bool Equals(StructField? other) =>
        other is not null && other.Name == Name && other.Type.Equals(Type) && other.Nullable == Nullable &&
        JsonNode.DeepEquals(other.Metadata ?? [], Metadata ?? []);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Type, Nullable);
}

/// <summary>A struct type; the top-level struct is a table's schema.</summary>
public sealed record StructType : DeltaType
{
    private readonly Dictionary<string, int> _byName;

    /// <summary>Creates a struct; field names must be unique ignoring case.</summary>
    public StructType(IEnumerable<StructField> fields)
    {
        Fields = new ReadOnlyCollection<StructField>([.. fields]);
        _byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Fields.Count; i++)
        {
            if (!_byName.TryAdd(Fields[i].Name, i))
            {
                throw new DeltaFormatException($"schema: duplicate column name '{Fields[i].Name}' (names are unique ignoring case)");
            }
        }
    }

    /// <summary>The fields in order.</summary>
    public IReadOnlyList<StructField> Fields { get; }

    /// <summary>The index of a field by name (ignoring case), or -1.</summary>
    public int IndexOf(string name) => _byName.TryGetValue(name, out var i) ? i : -1;

    /// <summary>A field by name (ignoring case), or null.</summary>
    public StructField? Find(string name) => _byName.TryGetValue(name, out var i) ? Fields[i] : null;

    /// <summary>The schema as the protocol's <c>schemaString</c>.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Parses a <c>schemaString</c>.</summary>
    public static StructType FromJson(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new DeltaFormatException($"schema: schemaString is not JSON: {e.Message}", e);
        }

        return node is JsonObject obj && (string?)obj["type"] == "struct"
            ? FromJson(obj)
            : throw new DeltaFormatException("schema: schemaString is not a struct");
    }

    internal static StructType FromJson(JsonObject obj)
    {
        if (obj["fields"] is not JsonArray fields)
        {
            throw new DeltaFormatException("schema: struct without \"fields\"");
        }

        return new StructType(fields.Select(f =>
        {
            if (f is not JsonObject field || (string?)field["name"] is not { } name)
            {
                throw new DeltaFormatException("schema: field without a name");
            }

            return new StructField(name, Parse(field["type"]), (bool?)field["nullable"] ?? true, field["metadata"]?.DeepClone() as JsonObject);
        }));
    }

    /// <inheritdoc />
    public bool Equals(StructType? other) => other is not null && Fields.SequenceEqual(other.Fields);

    /// <inheritdoc />
    public override int GetHashCode() => Fields.Count;

    internal override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "struct");
        writer.WriteStartArray("fields");
        foreach (var field in Fields)
        {
            writer.WriteStartObject();
            writer.WriteString("name", field.Name);
            writer.WritePropertyName("type");
            field.Type.Write(writer);
            writer.WriteBoolean("nullable", field.Nullable);
            writer.WritePropertyName("metadata");
            (field.Metadata ?? []).WriteTo(writer);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
