using Clickstream.Delta.Types;
using Parquet.Schema;
using ParquetDataField = Parquet.Schema.DataField;
using ParquetStructField = Parquet.Schema.StructField;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// Builds the Parquet.Net schema for writing a (possibly nested) Delta schema: every field OPTIONAL, maps as
/// <c>MAP key_value { required key; optional value }</c>, arrays as <c>LIST list { optional element }</c>.
/// </summary>
internal static class ParquetSchemaBuilder
{
    /// <summary>The Parquet schema of <paramref name="schema"/>.</summary>
    public static ParquetSchema Build(StructType schema)
    {
        var fields = new Field[schema.Fields.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = Field(schema.Fields[i].Name, schema.Fields[i].Type, nullable: true);
        }

        return new ParquetSchema(fields);
    }

    private static Field Field(string name, DeltaType type, bool nullable) => type switch
    {
        StructType structType => Struct(name, structType),
        ArrayType array => new ListField(name, Field("element", array.ElementType, nullable: true)),
        MapType map => new MapField(name, Field("key", map.KeyType, nullable: false), Field("value", map.ValueType, nullable: true)),
        PrimitiveType primitive when primitive.Equals(PrimitiveType.String) => new DataField<string>(name, nullable),
        PrimitiveType primitive when primitive.Equals(PrimitiveType.Long) => new DataField<long>(name, nullable),
        PrimitiveType primitive when primitive.Equals(PrimitiveType.Integer) => new DataField<int>(name, nullable),
        PrimitiveType primitive when primitive.Equals(PrimitiveType.Boolean) => new DataField<bool>(name, nullable),
        _ => throw new NotSupportedException($"nested Parquet writing supports string, long, integer and boolean leaves, not {type}"),
    };

    private static ParquetStructField Struct(string name, StructType structType)
    {
        var children = new Field[structType.Fields.Count];
        for (var i = 0; i < children.Length; i++)
        {
            children[i] = Field(structType.Fields[i].Name, structType.Fields[i].Type, nullable: true);
        }

        return new ParquetStructField(name, children);
    }

    /// <summary>Every leaf of <paramref name="field"/> in schema order.</summary>
    public static void CollectLeaves(Field field, List<ParquetDataField> leaves)
    {
        switch (field)
        {
            case ParquetDataField data:
                leaves.Add(data);
                break;
            case ParquetStructField group:
                foreach (var child in group.Fields)
                {
                    CollectLeaves(child, leaves);
                }

                break;
            case ListField list:
                CollectLeaves(list.Item, leaves);
                break;
            case MapField map:
                CollectLeaves(map.Key, leaves);
                CollectLeaves(map.Value, leaves);
                break;
        }
    }
}
