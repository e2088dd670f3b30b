using Clickstream.Delta.Parquet;

namespace Clickstream.Delta.Storage;

/// <summary>
/// The few object-store calls a Delta table needs, with keys relative to the table root and separated by
/// <c>/</c>. Implementations: a local folder (<see cref="LocalObjectStore"/>) and memory (<see cref="InMemoryObjectStore"/>);
/// an S3 store maps put-if-absent to a conditional PUT with <c>If-None-Match: *</c>.
/// </summary>
public interface IObjectStore
{
    /// <summary>Every object whose key starts with <paramref name="prefix"/>, at any depth, ordered by key (ordinal).</summary>
    Task<IReadOnlyList<ObjectInfo>> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>The whole object, or null when it does not exist.</summary>
    Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates the object only if no object has the key, atomically: exactly one of two racing writers wins, and
    /// a reader never sees a partial object. Returns false when the key already exists.
    /// </summary>
    Task<bool> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Put-if-absent for an object that <paramref name="write"/> produces into a forward-only stream, so that a
    /// large object need not be held whole in memory: a local store writes it straight to a temporary file, S3
    /// uploads it in parts while it is written. The same guarantees as
    /// <see cref="PutIfAbsentAsync(string, ReadOnlyMemory{byte}, CancellationToken)"/>; if <paramref name="write"/>
    /// throws, nothing is stored. Returns the size of the object created, or null when the key already exists.
    /// This default buffers the content and calls that method.
    /// </summary>
    async Task<long?> WriteIfAbsentAsync(string key, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        byte[] content;
        using (var buffer = new PooledBufferStream())
        {
            await write(buffer, cancellationToken).ConfigureAwait(false);
            content = buffer.ToArray();
        }

        return await PutIfAbsentAsync(key, content, cancellationToken).ConfigureAwait(false) ? content.Length : null;
    }

    /// <summary>Creates or replaces the object atomically (readers see the old or the new content, never a mix).</summary>
    Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Deletes the object; returns false when it did not exist.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// The absolute location of a key as other engines name it: a file-system path for a local store, an
    /// <c>s3://bucket/key</c> URI for S3. Used for symlink manifests and for handing files to DuckDB.
    /// </summary>
    string Locate(string key);
}

/// <summary>An object in a listing.</summary>
/// <param name="Key">Key relative to the store root.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="LastModified">Last modification time, UTC.</param>
public readonly record struct ObjectInfo(string Key, long Size, DateTimeOffset LastModified);
