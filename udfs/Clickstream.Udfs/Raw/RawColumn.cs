namespace Clickstream.Udfs.Raw;

/// <summary>One column of the raw events table, as <see cref="RawEventColumns.Columns"/> lists them.</summary>
/// <param name="Name">The column name in the table (snake case, as in the event JSON).</param>
/// <param name="Type">The column type, which also says which kind of array holds its values.</param>
/// <param name="IsNullable">
/// False for the columns every stored event has (the required fields and <c>properties</c>). A nullable
/// string column holds null entries; a nullable numeric column has a <c>…IsNull</c> mask next to its values.
/// </param>
public sealed record RawColumn(string Name, RawColumnType Type, bool IsNullable)
{
    /// <summary>The Delta (Spark SQL) name of <see cref="Type"/>: <c>string</c>, <c>timestamp</c>, <c>double</c>, <c>long</c> or <c>integer</c>.</summary>
    public string TypeName => Type switch
    {
        RawColumnType.String => "string",
        RawColumnType.Timestamp => "timestamp",
        RawColumnType.Double => "double",
        RawColumnType.Long => "long",
        _ => "integer",
    };
}
