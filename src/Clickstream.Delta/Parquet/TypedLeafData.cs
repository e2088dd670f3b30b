using System.Buffers;
using System.Runtime.CompilerServices;

namespace Clickstream.Delta.Parquet;

/// <summary>A <see cref="LeafData"/> whose values Parquet.Net read as <typeparamref name="T"/>.</summary>
internal sealed class TypedLeafData<T>(int count, int[]? definitions, int[]? repetitions, T[] values, Func<T, object?> convert, int defined) : LeafData
{
    private T[]? _values = values;

    public override int Count { get; } = count;

    public override int[]? Definitions { get; } = definitions;

    public override int[]? Repetitions { get; } = repetitions;

    public override object? Value(int index)
    {
        var values = _values ?? throw new ObjectDisposedException(nameof(LeafData));
        return (uint)index < (uint)defined ? convert(values[index]) : throw new DeltaFormatException("a leaf column has fewer values than its definition levels say");
    }

    public override void Return()
    {
        if (_values is { } values)
        {
            _values = null;
            Return(values, Definitions, Repetitions);
        }
    }

    /// <summary>Gives a chunk's rented arrays back to the pool.</summary>
    public static void Return(T[] values, int[]? definitions, int[]? repetitions)
    {
        ArrayPool<T>.Shared.Return(values, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        if (definitions is not null)
        {
            ArrayPool<int>.Shared.Return(definitions);
        }

        if (repetitions is not null)
        {
            ArrayPool<int>.Shared.Return(repetitions);
        }
    }
}
