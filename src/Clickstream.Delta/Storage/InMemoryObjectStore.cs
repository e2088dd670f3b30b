namespace Clickstream.Delta.Storage;

/// <summary>An object store in memory, safe for concurrent use; for tests.</summary>
public sealed class InMemoryObjectStore : IObjectStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, (byte[] Content, DateTimeOffset Modified)> _objects = new(StringComparer.Ordinal);

    /// <summary>Number of objects held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _objects.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ObjectInfo>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        lock (_gate)
        {
            IReadOnlyList<ObjectInfo> list = [.. _objects
                .Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                .Select(kv => new ObjectInfo(kv.Key, kv.Value.Content.Length, kv.Value.Modified))];
            return Task.FromResult(list);
        }
    }

    /// <inheritdoc />
    public Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        lock (_gate)
        {
            return Task.FromResult(_objects.TryGetValue(key, out var o) ? o.Content.ToArray() : null);
        }
    }

    /// <inheritdoc />
    public Task<bool> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        lock (_gate)
        {
            return Task.FromResult(_objects.TryAdd(key, (content.ToArray(), DateTimeOffset.UtcNow)));
        }
    }

    /// <inheritdoc />
    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        lock (_gate)
        {
            _objects[key] = (content.ToArray(), DateTimeOffset.UtcNow);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        lock (_gate)
        {
            return Task.FromResult(_objects.Remove(key));
        }
    }

    /// <summary>Sets an object's modification time (to test retention rules).</summary>
    public void Touch(string key, DateTimeOffset modified)
    {
        lock (_gate)
        {
            var o = _objects[key];
            _objects[key] = (o.Content, modified);
        }
    }

    /// <inheritdoc />
    public string Locate(string key) => "memory:///" + key;
}
