using System.Reflection;
using Parquet;
using Parquet.Meta;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// Parquet.Net 6.1.0 orders string min/max statistics by UTF-16 code units, while readers (DuckDB, Trino, Spark)
/// compare them as unsigned bytes of UTF-8: for strings mixing characters U+E000–U+FFFF with characters beyond
/// U+FFFF the two orders disagree and a reader that prunes row groups by those statistics skips rows it should
/// return. Before the footer is written, this removes min/max from every BYTE_ARRAY column chunk (null counts
/// stay); the Delta log's per-file statistics, computed in UTF-8 order by this library, still drive file skipping.
/// </summary>
internal static class FooterStatistics
{
    private static readonly FieldInfo FooterField = typeof(ParquetWriter).GetField("_footer", BindingFlags.NonPublic | BindingFlags.Instance)
        ?? throw new MissingFieldException("Parquet.Net changed: ParquetWriter._footer is gone; recheck FooterStatistics");

    private static FieldInfo? _fileMetaField;

    /// <summary>Drops string min/max statistics from the footer the writer will write on disposal.</summary>
    public static void DropStringMinMax(ParquetWriter writer)
    {
        var footer = FooterField.GetValue(writer) ?? throw new InvalidOperationException("the Parquet writer has no footer");
        _fileMetaField ??= footer.GetType().GetField("_fileMeta", BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new MissingFieldException("Parquet.Net changed: ThriftFooter._fileMeta is gone; recheck FooterStatistics");
        var meta = (FileMetaData)(_fileMetaField.GetValue(footer) ?? throw new InvalidOperationException("the Parquet footer has no metadata"));
        foreach (var rowGroup in meta.RowGroups ?? [])
        {
            foreach (var chunk in rowGroup.Columns ?? [])
            {
                if (chunk.MetaData is { Type: global::Parquet.Meta.Type.BYTE_ARRAY, Statistics: { } stats })
                {
                    stats.Min = null;
                    stats.Max = null;
                    stats.MinValue = null;
                    stats.MaxValue = null;
                    stats.IsMinValueExact = null;
                    stats.IsMaxValueExact = null;
                }
            }
        }
    }
}
