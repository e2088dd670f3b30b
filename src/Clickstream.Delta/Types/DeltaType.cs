using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clickstream.Delta.Types;

/// <summary>
/// A Delta column type, as the protocol's schema serialisation (Spark's JSON schema) names it.
/// Primitive: <c>string long integer short byte float double boolean binary date timestamp decimal(p,s)</c>
/// (and <c>timestamp_ntz</c>, which needs a table feature this library does not enable);
/// complex: <see cref="ArrayType"/>, <see cref="MapType"/>, <see cref="StructType"/>.
/// </summary>
public abstract record DeltaType
{
    /// <summary>Writes the type as the schema JSON expects: a string for primitives, an object for the rest.</summary>
    internal abstract void Write(Utf8JsonWriter writer);

    /// <summary>Parses a type from schema JSON.</summary>
    internal static DeltaType Parse(JsonNode? node)
    {
        switch (node)
        {
            case JsonValue value when value.TryGetValue<string>(out var name):
                return PrimitiveType.FromName(name);
            case JsonObject obj:
                var kind = (string?)obj["type"] ?? throw new DeltaFormatException("schema: complex type without \"type\"");
                return kind switch
                {
                    "struct" => StructType.FromJson(obj),
                    "array" => new ArrayType(Parse(obj["elementType"]), (bool?)obj["containsNull"] ?? true),
                    "map" => new MapType(Parse(obj["keyType"]), Parse(obj["valueType"]), (bool?)obj["valueContainsNull"] ?? true),
                    _ => throw new DeltaFormatException($"schema: unknown complex type '{kind}'"),
                };
            default:
                throw new DeltaFormatException($"schema: cannot read a type from {node?.ToJsonString() ?? "null"}");
        }
    }
}

/// <summary>A primitive type such as <c>long</c> or <c>decimal(10,2)</c>.</summary>
public sealed record PrimitiveType : DeltaType
{
    private PrimitiveType(string name, int precision = 0, int scale = 0)
    {
        Name = name;
        Precision = precision;
        Scale = scale;
    }

    /// <summary>The type name as serialised (<c>decimal(p,s)</c> for decimals).</summary>
    public string Name { get; }

    /// <summary>Decimal precision; 0 for other types.</summary>
    public int Precision { get; }

    /// <summary>Decimal scale; 0 for other types.</summary>
    public int Scale { get; }

    /// <summary>Whether this is a decimal.</summary>
    public bool IsDecimal => Precision > 0;

#pragma warning disable CA1720 // the names are the protocol's
    public static PrimitiveType String { get; } = new("string");
    public static PrimitiveType Long { get; } = new("long");
    public static PrimitiveType Integer { get; } = new("integer");
    public static PrimitiveType Short { get; } = new("short");
    public static PrimitiveType Byte { get; } = new("byte");
    public static PrimitiveType Float { get; } = new("float");
    public static PrimitiveType Double { get; } = new("double");
    public static PrimitiveType Boolean { get; } = new("boolean");
    public static PrimitiveType Binary { get; } = new("binary");
    public static PrimitiveType Date { get; } = new("date");
    public static PrimitiveType Timestamp { get; } = new("timestamp");
    public static PrimitiveType TimestampNtz { get; } = new("timestamp_ntz");
#pragma warning restore CA1720

    /// <summary>A decimal type.</summary>
    public static PrimitiveType Decimal(int precision, int scale)
    {
        if (precision is < 1 or > 38 || scale < 0 || scale > precision)
        {
            throw new ArgumentOutOfRangeException(nameof(precision), $"decimal({precision},{scale}) is not a valid decimal type");
        }

        return new PrimitiveType($"decimal({precision},{scale})", precision, scale);
    }

    /// <summary>The type for a serialised name.</summary>
    public static PrimitiveType FromName(string name) => name switch
    {
        "string" => String,
        "long" => Long,
        "integer" => Integer,
        "short" => Short,
        "byte" => Byte,
        "float" => Float,
        "double" => Double,
        "boolean" => Boolean,
        "binary" => Binary,
        "date" => Date,
        "timestamp" => Timestamp,
        "timestamp_ntz" => TimestampNtz,
        "decimal" => Decimal(10, 0),
        _ when name.StartsWith("decimal(", StringComparison.Ordinal) && name.EndsWith(')') => ParseDecimal(name),
        _ => throw new DeltaFormatException($"schema: unknown type '{name}'"),
    };

    private static PrimitiveType ParseDecimal(string name)
    {
        var parts = name["decimal(".Length..^1].Split(',');
        if (parts.Length == 2 && int.TryParse(parts[0].Trim(), out var p) && int.TryParse(parts[1].Trim(), out var s))
        {
            return Decimal(p, s);
        }

        throw new DeltaFormatException($"schema: bad decimal type '{name}'");
    }

    /// <inheritdoc />
    public bool Equals(PrimitiveType? other) => other is not null && other.Name == Name;

    /// <inheritdoc />
    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => Name;

    internal override void Write(Utf8JsonWriter writer) => writer.WriteStringValue(Name);
}

/// <summary>An array type.</summary>
public sealed record ArrayType(DeltaType ElementType, bool ContainsNull = true) : DeltaType
{
    internal override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "array");
        writer.WritePropertyName("elementType");
        ElementType.Write(writer);
        writer.WriteBoolean("containsNull", ContainsNull);
        writer.WriteEndObject();
    }
}

/// <summary>A map type.</summary>
public sealed record MapType(DeltaType KeyType, DeltaType ValueType, bool ValueContainsNull = true) : DeltaType
{
    internal override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "map");
        writer.WritePropertyName("keyType");
        KeyType.Write(writer);
        writer.WritePropertyName("valueType");
        ValueType.Write(writer);
        writer.WriteBoolean("valueContainsNull", ValueContainsNull);
        writer.WriteEndObject();
    }
}
