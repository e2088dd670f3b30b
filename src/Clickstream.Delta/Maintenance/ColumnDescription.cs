namespace Clickstream.Delta.Maintenance;

/// <summary>A column of a <see cref="TableDescription"/>.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Type">The type as Spark SQL spells it.</param>
/// <param name="Nullable">Whether the column may hold nulls.</param>
/// <param name="IsPartition">Whether the table is partitioned by the column.</param>
public sealed record ColumnDescription(string Name, string Type, bool Nullable, bool IsPartition);
