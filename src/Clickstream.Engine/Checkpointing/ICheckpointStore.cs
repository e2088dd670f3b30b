namespace Clickstream.Engine.Checkpointing;

/// <summary>
/// Where a query keeps its checkpoint: the few calls the engine makes, with keys relative to the checkpoint root
/// and separated by <c>/</c> (<c>offsets/7</c>, <c>state/0/3/12.delta</c>). A local folder
/// (<see cref="LocalCheckpointStore"/>) is the default; an object store such as S3 plugs in from outside the engine.
/// Calls are synchronous: only the query's driver thread and the state commit's partition workers make them, and
/// each call is one small object. Implementations must be safe for concurrent calls on different keys.
/// </summary>
public interface ICheckpointStore
{
    /// <summary>The location of a key as a person reads it in an error: a file path or an <c>s3://</c> URI.</summary>
    string Describe(string key);

    /// <summary>The whole object, or null when it does not exist.</summary>
    byte[]? Read(string key);

    /// <summary>
    /// Creates the object only if no object has the key, atomically (readers never see a partial object; of two
    /// racing writers exactly one wins). Returns false when the key already exists with other content.
    /// </summary>
    bool TryCreate(string key, ReadOnlySpan<byte> content);

    /// <summary>Creates or replaces the object atomically with what <paramref name="write"/> writes to the stream.</summary>
    void Write(string key, Action<Stream> write);

    /// <summary>The names (not keys) of the objects directly under <paramref name="folder"/> (a key prefix without the trailing <c>/</c>).</summary>
    IReadOnlyList<string> List(string folder);

    /// <summary>Deletes the object; false when it did not exist.</summary>
    bool Delete(string key);

    /// <summary>
    /// Appends one line to a log object (the progress reports). A store that cannot append may keep only the newest
    /// lines; readers only ever need the tail.
    /// </summary>
    void AppendLine(string key, string line);
}
