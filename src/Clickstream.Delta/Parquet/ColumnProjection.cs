using Clickstream.Delta.Types;
using Parquet.Schema;
using ParquetDataField = Parquet.Schema.DataField;
using ParquetStructField = Parquet.Schema.StructField;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// The plan for reading a file's columns as a Delta schema: columns (and nested fields) are matched by name ignoring
/// case, a column the file lacks reads as null, file columns the schema does not name are never read.
/// </summary>
internal sealed class ColumnProjection
{
    private ColumnProjection(IReadOnlyList<ReadNode?> columns, IReadOnlyList<LeafColumn> leaves)
    {
        Columns = columns;
        Leaves = leaves;
    }

    /// <summary>One reader per schema field; null for a field the file lacks.</summary>
    public IReadOnlyList<ReadNode?> Columns { get; }

    /// <summary>Every leaf column to load for each row group.</summary>
    public IReadOnlyList<LeafColumn> Leaves { get; }

    /// <summary>Plans the read of <paramref name="schema"/> from a file with <paramref name="fileSchema"/>.</summary>
    /// <exception cref="DeltaFormatException">A column's type in the file cannot be read as its Delta type.</exception>
    public static ColumnProjection Create(StructType schema, ParquetSchema fileSchema)
    {
        var leaves = new List<LeafColumn>();
        var columns = new ReadNode?[schema.Fields.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            var field = schema.Fields[i];
            if (Find(fileSchema.Fields, field.Name) is { } fileField)
            {
                columns[i] = Build(field.Type, fileField, 0, field.Name, leaves);
            }
        }

        return new ColumnProjection(columns, leaves);
    }

    private static ReadNode Build(DeltaType type, Field field, int instanceRepetition, string path, List<LeafColumn> leaves)
    {
        switch (type, field)
        {
            case (PrimitiveType primitive, ParquetDataField data) when !data.IsArray:
                var leaf = new LeafColumn(data, primitive, path);
                leaves.Add(leaf);
                return new LeafNode(leaf, instanceRepetition);

            case (StructType structType, ParquetStructField group):
                return BuildStruct(structType, group, instanceRepetition, path, leaves);

            case (ArrayType array, ListField list):
                var element = Build(array.ElementType, list.Item, list.MaxRepetitionLevel, path + ".element", leaves);
                return new ListNode(element, list.MaxDefinitionLevel - 1, list.MaxDefinitionLevel, list.MaxRepetitionLevel, instanceRepetition);

            case (MapType map, MapField mapField):
                var key = Build(map.KeyType, mapField.Key, mapField.MaxRepetitionLevel, path + ".key", leaves);
                var value = Build(map.ValueType, mapField.Value, mapField.MaxRepetitionLevel, path + ".value", leaves);
                var stringKeys = map.KeyType.Equals(PrimitiveType.String);
                return new MapNode(key, value, stringKeys, mapField.MaxDefinitionLevel - 1, mapField.MaxDefinitionLevel, mapField.MaxRepetitionLevel, instanceRepetition);

            default:
                throw new DeltaFormatException($"column '{path}': the file stores {Describe(field)}, which cannot be read as Delta type {Describe(type)}");
        }
    }

    private static StructNode BuildStruct(StructType structType, ParquetStructField group, int instanceRepetition, string path, List<LeafColumn> leaves)
    {
        var first = leaves.Count;
        var children = new ReadNode?[structType.Fields.Count];
        for (var i = 0; i < children.Length; i++)
        {
            var field = structType.Fields[i];
            if (Find(group.Fields, field.Name) is { } fileField)
            {
                children[i] = Build(field.Type, fileField, instanceRepetition, path + "." + field.Name, leaves);
            }
        }

        LeafColumn? presence = null;
        if (leaves.Count == first)
        {
            // None of the struct's fields are in the file, but whether the struct itself is null still is.
            presence = new LeafColumn(FirstLeaf(group), null, path);
            leaves.Add(presence);
        }

        return new StructNode(children, leaves[first..], presence, group.MaxDefinitionLevel, instanceRepetition);
    }

    private static Field? Find(IReadOnlyList<Field> fields, string name)
    {
        Field? match = null;
        foreach (var field in fields)
        {
            if (string.Equals(field.Name, name, StringComparison.Ordinal))
            {
                return field;
            }

            if (match is null && string.Equals(field.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                match = field;
            }
        }

        return match;
    }

    private static ParquetDataField FirstLeaf(Field field) => field switch
    {
        ParquetDataField data => data,
        ParquetStructField group => FirstLeaf(group.Fields[0]),
        ListField list => FirstLeaf(list.Item),
        MapField map => FirstLeaf(map.Key),
        _ => throw new DeltaFormatException($"unsupported Parquet field '{field.Path}'"),
    };

    private static string Describe(Field field) => field switch
    {
        ParquetDataField { IsArray: true } => "a repeated primitive (legacy list)",
        ParquetDataField data => $"a {data.ClrType.Name} value",
        ParquetStructField => "a group (struct)",
        ListField => "a list",
        MapField => "a map",
        _ => field.SchemaType.ToString(),
    };

    private static string Describe(DeltaType type) => type switch
    {
        PrimitiveType primitive => primitive.Name,
        StructType => "struct",
        ArrayType => "array",
        MapType => "map",
        _ => type.GetType().Name,
    };
}
