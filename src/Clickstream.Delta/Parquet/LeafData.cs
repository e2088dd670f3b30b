namespace Clickstream.Delta.Parquet;

/// <summary>
/// The levels and non-null values of one leaf column chunk, as read: values stay in their Parquet.Net type in a
/// rented array and are converted (boxed) only when the record assembly takes them. Every array goes back to the
/// pool on <see cref="Return"/>.
/// </summary>
internal abstract class LeafData
{
    /// <summary>No entries.</summary>
    public static LeafData Empty { get; } = new EmptyLeafData();

    /// <summary>Entries (levels) in the chunk.</summary>
    public abstract int Count { get; }

    /// <summary>Definition level per entry (rented, may be longer); null when every entry is defined.</summary>
    public abstract int[]? Definitions { get; }

    /// <summary>Repetition level per entry (rented, may be longer); null when nothing above the leaf repeats.</summary>
    public abstract int[]? Repetitions { get; }

    /// <summary>The <paramref name="index"/>-th non-null value, converted for the Delta column.</summary>
    public abstract object? Value(int index);

    /// <summary>Gives the arrays back to the pool.</summary>
    public abstract void Return();

    /// <summary>A chunk without entries.</summary>
    private sealed class EmptyLeafData : LeafData
    {
        public override int Count => 0;

        public override int[]? Definitions => null;

        public override int[]? Repetitions => null;

        public override object? Value(int index) => throw new InvalidOperationException("an empty leaf column has no values");

        public override void Return()
        {
        }
    }
}
