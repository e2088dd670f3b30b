namespace Clickstream.Delta.Parquet;

/// <summary>How <see cref="DataFileWriter"/> lays out a data file. Immutable; share one instance per table.</summary>
public sealed record DataFileWriterOptions
{
    /// <summary>The options used when none are given.</summary>
    public static DataFileWriterOptions Default { get; } = new();

    /// <summary>
    /// The most rows in one row group (default 262,144). Parquet.Net 6.1.0 writes each column chunk as one page and
    /// sizes a dictionary-encoding hash table by the chunk's row count, so this bounds the writer's working memory
    /// as well as the page size readers see.
    /// </summary>
    public int MaxRowsPerRowGroup { get; init; } = 1 << 18;

    /// <summary>
    /// String columns to dictionary-encode (names compare ignoring case), typically those with few distinct values
    /// such as an event type. Parquet.Net still writes PLAIN when more than 80% of a chunk's values are distinct.
    /// </summary>
    public IReadOnlyCollection<string> DictionaryColumns { get; init; } = [];

    /// <summary>
    /// How many leading columns get statistics in the Delta <c>stats</c> JSON (the table property
    /// <c>delta.dataSkippingNumIndexedCols</c>, default 32); a negative value means all columns.
    /// </summary>
    public int NumIndexedColumns { get; init; } = 32;
}
