using Clickstream.Delta.Types;
using Parquet.Schema;
using ParquetDataField = Parquet.Schema.DataField;
using ParquetStructField = Parquet.Schema.StructField;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// One node of a Delta column being striped into Parquet leaf columns (the inverse of <see cref="ReadNode"/>).
/// Values: struct → <c>object?[]</c> in field order, array → <see cref="IReadOnlyList{T}"/> of <c>object?</c>,
/// map → <see cref="IReadOnlyList{T}"/> of <c>KeyValuePair&lt;object, object?&gt;</c>, primitives as the CLR
/// type of their leaf.
/// </summary>
internal abstract class StripeNode(IReadOnlyList<LeafBuffer> leaves)
{
    /// <summary>Every leaf below this node.</summary>
    public IReadOnlyList<LeafBuffer> Leaves { get; } = leaves;

    /// <summary>
    /// Adds one instance of this node: <paramref name="definition"/> is the level its parent reached,
    /// <paramref name="repetition"/> the level of the first entry it adds.
    /// </summary>
    public abstract void Stripe(object? value, int definition, int repetition);

    /// <summary>Builds the striping tree for a Delta type and its Parquet field.</summary>
    public static StripeNode Create(DeltaType type, Field field, Dictionary<ParquetDataField, LeafBuffer> buffers) => (type, field) switch
    {
        (PrimitiveType, ParquetDataField data) => new Leaf(buffers[data]),
        (StructType structType, ParquetStructField group) => new Struct(
            [.. structType.Fields.Select((f, i) => Create(f.Type, group.Fields[i], buffers))],
            group.MaxDefinitionLevel),
        (ArrayType array, ListField list) => new Repeated(
            [Create(array.ElementType, list.Item, buffers)],
            list.MaxDefinitionLevel,
            list.MaxRepetitionLevel),
        (MapType map, MapField mapField) => new Repeated(
            [Create(map.KeyType, mapField.Key, buffers), Create(map.ValueType, mapField.Value, buffers)],
            mapField.MaxDefinitionLevel,
            mapField.MaxRepetitionLevel),
        _ => throw new NotSupportedException($"cannot stripe Delta type {type} into Parquet field '{field.Path}'"),
    };

    /// <summary>Adds a null (or empty, at the right level) instance to every leaf below.</summary>
    protected void StripeNull(int definition, int repetition)
    {
        foreach (var leaf in Leaves)
        {
            leaf.AddNull(definition, repetition);
        }
    }

    private sealed class Leaf(LeafBuffer buffer) : StripeNode([buffer])
    {
        public override void Stripe(object? value, int definition, int repetition)
        {
            if (value is null)
            {
                buffer.AddNull(definition, repetition);
            }
            else
            {
                buffer.Add(value, repetition);
            }
        }
    }

    private sealed class Struct(IReadOnlyList<StripeNode> children, int definedLevel)
        : StripeNode([.. children.SelectMany(c => c.Leaves)])
    {
        public override void Stripe(object? value, int definition, int repetition)
        {
            if (value is null)
            {
                StripeNull(definition, repetition);
                return;
            }

            var fields = (object?[])value;
            for (var i = 0; i < children.Count; i++)
            {
                children[i].Stripe(fields[i], definedLevel, repetition);
            }
        }
    }

    /// <summary>A list (one child: the element) or a map (two children: key and value).</summary>
    private sealed class Repeated(IReadOnlyList<StripeNode> children, int entryLevel, int entryRepetition)
        : StripeNode([.. children.SelectMany(c => c.Leaves)])
    {
        public override void Stripe(object? value, int definition, int repetition)
        {
            if (value is null)
            {
                StripeNull(definition, repetition);
                return;
            }

            var count = 0;
            if (children.Count == 1)
            {
                foreach (var element in (IReadOnlyList<object?>)value)
                {
                    children[0].Stripe(element, entryLevel, count++ == 0 ? repetition : entryRepetition);
                }
            }
            else
            {
                foreach (var (k, v) in (IReadOnlyList<KeyValuePair<object, object?>>)value)
                {
                    var entryRepetitionLevel = count++ == 0 ? repetition : entryRepetition;
                    children[0].Stripe(k, entryLevel, entryRepetitionLevel);
                    children[1].Stripe(v, entryLevel, entryRepetitionLevel);
                }
            }

            if (count == 0)
            {
                // An empty list or map: defined up to the container, no entries.
                StripeNull(entryLevel - 1, repetition);
            }
        }
    }
}
