using Parquet;
using ParquetDataField = Parquet.Schema.DataField;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// The running state of one <see cref="DataFileWriter"/> call that column vectors write through: the current row
/// group, the field being written, and a shared run of "defined" definition levels for columns without nulls.
/// Owned by a single write; not thread-safe.
/// </summary>
internal sealed class ColumnChunkContext(CancellationToken cancellationToken)
{
    private int[] _allDefined = [];

    /// <summary>The row group being written.</summary>
    public ParquetRowGroupWriter RowGroup { get; set; } = null!;

    /// <summary>The Parquet field of the column being written.</summary>
    public ParquetDataField Field { get; set; } = null!;

    /// <summary>Cancels the write.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Definition levels saying that each of <paramref name="count"/> rows holds a value.</summary>
    public ReadOnlyMemory<int> AllDefined(int count)
    {
        if (_allDefined.Length < count)
        {
            _allDefined = new int[count];
            _allDefined.AsSpan().Fill(1);
        }

        return _allDefined.AsMemory(0, count);
    }
}
