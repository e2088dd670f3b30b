using Clickstream.Delta.Types;

namespace Clickstream.Delta.Table;

/// <summary>
/// The schema rules this library keeps: column names Spark accepts without column mapping, primitive partition
/// columns, and evolution only by appending nullable columns (never renaming, dropping or retyping).
/// </summary>
public static class SchemaRules
{
    private const string ForbiddenNameCharacters = " ,;{}()\n\t=";

    /// <summary>Fails with a clear error unless the schema and partition columns can define a new table.</summary>
    public static void ValidateNewTable(StructType schema, IReadOnlyList<string> partitionColumns)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(partitionColumns);
        if (schema.Fields.Count == 0)
        {
            throw new ArgumentException("a table needs at least one column", nameof(schema));
        }

        foreach (var field in schema.Fields)
        {
            ValidateName(field.Name);
        }

        foreach (var column in partitionColumns)
        {
            var field = schema.Find(column) ?? throw new ArgumentException($"partition column '{column}' is not in the schema", nameof(partitionColumns));
            if (field.Type is not PrimitiveType)
            {
                throw new ArgumentException($"partition column '{column}' must have a primitive type, not {field.Type}", nameof(partitionColumns));
            }
        }

        if (partitionColumns.Count == schema.Fields.Count)
        {
            throw new ArgumentException("a table needs at least one column that is not a partition column", nameof(partitionColumns));
        }
    }

    /// <summary>
    /// Fails unless <paramref name="next"/> keeps every column of <paramref name="current"/> unchanged and in
    /// order, and only appends nullable columns.
    /// </summary>
    public static void ValidateEvolution(StructType current, StructType next)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        if (next.Fields.Count < current.Fields.Count)
        {
            throw new DeltaSchemaException($"columns cannot be dropped: the new schema has {next.Fields.Count} columns, the table {current.Fields.Count}");
        }

        for (var i = 0; i < current.Fields.Count; i++)
        {
            var (a, b) = (current.Fields[i], next.Fields[i]);
            if (!string.Equals(a.Name, b.Name, StringComparison.Ordinal) || !a.Type.Equals(b.Type) || a.Nullable != b.Nullable)
            {
                throw new DeltaSchemaException($"column {i} changed from '{a.Name}' {a.Type}{(a.Nullable ? "" : " not null")} to '{b.Name}' {b.Type}{(b.Nullable ? "" : " not null")}; only appending nullable columns is supported");
            }
        }

        foreach (var added in next.Fields.Skip(current.Fields.Count))
        {
            ValidateName(added.Name);
            if (!added.Nullable)
            {
                throw new DeltaSchemaException($"new column '{added.Name}' must be nullable: existing rows have no value for it");
            }
        }
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.IndexOfAny(ForbiddenNameCharacters.ToCharArray()) >= 0)
        {
            throw new DeltaSchemaException($"column name '{name}' is empty or contains one of the characters space , ; {{ }} ( ) newline tab =");
        }
    }
}

/// <summary>A schema change the table cannot take.</summary>
public sealed class DeltaSchemaException(string message) : DeltaFormatException(message);
