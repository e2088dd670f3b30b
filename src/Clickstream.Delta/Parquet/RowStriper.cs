using Clickstream.Delta.Types;
using Parquet;
using Parquet.Schema;
using ParquetDataField = Parquet.Schema.DataField;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// Writes rows of a nested Delta schema (see <see cref="StripeNode"/> for the value shapes) to Parquet through the
/// raw leaf API: the rows are striped into definition/repetition levels here, then each leaf is written whole.
/// </summary>
internal sealed class RowStriper
{
    private readonly StripeNode[] _columns;
    private readonly LeafBuffer[] _leaves;

    /// <summary>Prepares the striping of <paramref name="schema"/>.</summary>
    public RowStriper(StructType schema)
    {
        Schema = ParquetSchemaBuilder.Build(schema);
        var fields = new List<ParquetDataField>();
        foreach (var field in Schema.Fields)
        {
            ParquetSchemaBuilder.CollectLeaves(field, fields);
        }

        var buffers = new Dictionary<ParquetDataField, LeafBuffer>(ReferenceEqualityComparer.Instance);
        foreach (var field in fields)
        {
            buffers[field] = new LeafBuffer(field);
        }

        _leaves = [.. fields.Select(f => buffers[f])];
        _columns = [.. schema.Fields.Select((f, i) => StripeNode.Create(f.Type, Schema.Fields[i], buffers))];
    }

    /// <summary>The Parquet schema the rows are written with.</summary>
    public ParquetSchema Schema { get; }

    /// <summary>Adds a row (one value per top-level column) to the current row group.</summary>
    public void Add(object?[] row)
    {
        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i].Stripe(row[i], 0, 0);
        }
    }

    /// <summary>Writes the rows added since the last call as one row group.</summary>
    public async Task WriteRowGroupAsync(ParquetWriter writer, CancellationToken cancellationToken)
    {
        using var rowGroup = writer.CreateRowGroup();
        for (var i = 0; i < _leaves.Length; i++)
        {
            await _leaves[i].WriteAsync(rowGroup, cancellationToken).ConfigureAwait(false);
        }

        rowGroup.CompleteValidate();
    }
}
