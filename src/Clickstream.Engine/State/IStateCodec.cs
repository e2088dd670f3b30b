namespace Clickstream.Engine.State;

/// <summary>Writes and reads one value of a state store file. Implementations must be deterministic and versioned by their owner.</summary>
/// <typeparam name="T">The value type.</typeparam>
public interface IStateCodec<T>
{
    /// <summary>Appends <paramref name="value"/>.</summary>
    void Write(BinaryWriter writer, T value);

    /// <summary>Reads one value written by <see cref="Write"/>.</summary>
    T Read(BinaryReader reader);
}

/// <summary>
/// A grouping key: equality, a hash that is stable across processes and machines (it decides the state
/// partition a key lives in, which is fixed by the checkpoint), and a codec.
/// </summary>
/// <typeparam name="T">The key type.</typeparam>
public interface IKeyCodec<T> : IStateCodec<T>, IEqualityComparer<T>
{
    /// <summary>A hash that never changes between runs (unlike <c>string.GetHashCode</c>).</summary>
    uint StableHash(T key);
}
