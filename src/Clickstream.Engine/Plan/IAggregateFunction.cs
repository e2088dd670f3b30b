namespace Clickstream.Engine.Plan;

/// <summary>
/// An aggregate with a mergeable buffer: rows are added to a batch-local partial buffer, which is then merged
/// into the state's buffer (so counts, sums and sketches combine across batches and workers).
/// </summary>
/// <typeparam name="T">The input row type.</typeparam>
/// <typeparam name="TBuffer">The buffer type (a value, or a mutable object that the function may update in place).</typeparam>
public interface IAggregateFunction<in T, TBuffer>
{
    /// <summary>An empty buffer.</summary>
    TBuffer Create();

    /// <summary>Adds one row; returns the buffer (possibly the same instance).</summary>
    TBuffer Add(TBuffer buffer, T row);

    /// <summary>Merges a partial buffer into the stored one; returns the result.</summary>
    TBuffer Merge(TBuffer stored, TBuffer partial);
}
