using Parquet;
using ParquetDataField = Parquet.Schema.DataField;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// The entries of one leaf column while rows are striped into it (Dremel): a definition and a repetition level per
/// entry and the non-null values. Used for checkpoints, whose size is modest; owned by one writer.
/// </summary>
internal sealed class LeafBuffer(ParquetDataField field)
{
    private readonly List<int> _definitions = [];
    private readonly List<int> _repetitions = [];
    private readonly List<object> _values = [];

    /// <summary>Adds a non-null value.</summary>
    public void Add(object value, int repetition)
    {
        _definitions.Add(field.MaxDefinitionLevel);
        _repetitions.Add(repetition);
        _values.Add(value);
    }

    /// <summary>Adds an entry whose value, or an ancestor of it, is null or empty at <paramref name="definition"/>.</summary>
    public void AddNull(int definition, int repetition)
    {
        _definitions.Add(definition);
        _repetitions.Add(repetition);
    }

    /// <summary>Writes the entries as this leaf's chunk of <paramref name="rowGroup"/> and clears them.</summary>
    public async Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<int>? repetitions = field.MaxRepetitionLevel > 0 ? _repetitions.ToArray() : null;
        var definitions = _definitions.ToArray();
        var clrType = field.ClrType;
        if (clrType == typeof(ReadOnlyMemory<char>))
        {
            await rowGroup.WriteAllPartsAsync(field, Values(v => ((string)v).AsMemory()), definitions, repetitions, cancellationToken).ConfigureAwait(false);
        }
        else if (clrType == typeof(long))
        {
            await rowGroup.WriteAllPartsAsync(field, Values(v => (long)v), definitions, repetitions, cancellationToken).ConfigureAwait(false);
        }
        else if (clrType == typeof(int))
        {
            await rowGroup.WriteAllPartsAsync(field, Values(v => (int)v), definitions, repetitions, cancellationToken).ConfigureAwait(false);
        }
        else if (clrType == typeof(bool))
        {
            await rowGroup.WriteAllPartsAsync(field, Values(v => (bool)v), definitions, repetitions, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            throw new NotSupportedException($"cannot write nested leaf '{field.Path}' of type {clrType.Name}");
        }

        _definitions.Clear();
        _repetitions.Clear();
        _values.Clear();
    }

    private ReadOnlyMemory<T> Values<T>(Func<object, T> convert)
    {
        var values = new T[_values.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = convert(_values[i]);
        }

        return values;
    }
}
