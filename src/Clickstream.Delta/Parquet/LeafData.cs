using System.Buffers;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// The levels and converted non-null values of one leaf column chunk. The level arrays are rented and go back to
/// the pool on <see cref="Return"/>.
/// </summary>
/// <param name="Count">Entries (levels) in the chunk.</param>
/// <param name="Definitions">Definition level per entry (rented, may be longer); null when every entry is defined.</param>
/// <param name="Repetitions">Repetition level per entry (rented, may be longer); null when nothing above the leaf repeats.</param>
/// <param name="Values">The non-null values in entry order.</param>
internal sealed record LeafData(int Count, int[]? Definitions, int[]? Repetitions, object?[] Values)
{
    /// <summary>No entries.</summary>
    public static LeafData Empty { get; } = new(0, null, null, []);

    /// <summary>Gives the level arrays back to the pool.</summary>
    public void Return()
    {
        if (Definitions is not null)
        {
            ArrayPool<int>.Shared.Return(Definitions);
        }

        if (Repetitions is not null)
        {
            ArrayPool<int>.Shared.Return(Repetitions);
        }
    }
}
