using Clickstream.Delta.Types;
using Parquet;
using ParquetDataField = Parquet.Schema.DataField;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// One Parquet leaf column of one row group as the Dremel encoding stores it: a definition and a repetition level
/// per entry, and the non-null values in order, converted to the CLR type of the Delta column as they are taken.
/// Holds the read cursor that the record assembly advances; owned by a single read. A leaf without a type is read
/// for its levels only (its values read as null).
/// </summary>
internal sealed class LeafColumn(ParquetDataField field, PrimitiveType? type, string columnPath)
{
    private LeafData _data = LeafData.Empty;
    private int _position;
    private int _valuePosition;

    /// <summary>The Parquet field.</summary>
    public ParquetDataField Field { get; } = field;

    /// <summary>Whether the cursor is past the last entry.</summary>
    public bool AtEnd => _position >= _data.Count;

    /// <summary>The definition level of the entry under the cursor.</summary>
    /// <exception cref="DeltaFormatException">The leaf has fewer entries than its row group has rows.</exception>
    public int Definition =>
        _position < _data.Count
            ? _data.Definitions is { } levels ? levels[_position] : Field.MaxDefinitionLevel
            : throw new DeltaFormatException($"column '{Field.Path}' holds fewer entries than its row group has rows");

    /// <summary>The repetition level of the entry under the cursor.</summary>
    public int Repetition => _data.Repetitions is { } levels ? levels[_position] : 0;

    /// <summary>Reads this leaf's chunk of a row group and rewinds the cursor.</summary>
    public async Task LoadAsync(ParquetRowGroupReader rowGroup, CancellationToken cancellationToken)
    {
        Release();
        _data = await LeafReader.ReadAsync(rowGroup, Field, type, columnPath, cancellationToken).ConfigureAwait(false);
        _position = 0;
        _valuePosition = 0;
    }

    /// <summary>Consumes the entry under the cursor: its value, or null when the leaf or a level above it is null.</summary>
    public object? Take()
    {
        var value = Definition == Field.MaxDefinitionLevel ? _data.Value(_valuePosition++) : null;
        _position++;
        return value;
    }

    /// <summary>Consumes every entry of one instance of a node whose instances repeat at <paramref name="repetition"/>.</summary>
    public void Skip(int repetition)
    {
        do
        {
            if (Definition == Field.MaxDefinitionLevel)
            {
                _valuePosition++;
            }

            _position++;
        }
        while (!AtEnd && Repetition > repetition);
    }

    /// <summary>Returns the loaded chunk's buffers.</summary>
    public void Release()
    {
        _data.Return();
        _data = LeafData.Empty;
    }
}
