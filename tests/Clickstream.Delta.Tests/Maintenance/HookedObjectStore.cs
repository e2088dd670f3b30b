using Clickstream.Delta.Storage;

namespace Clickstream.Delta.Tests.Maintenance;

/// <summary>
/// An in-memory store that runs a hook once, just before the first put-if-absent of a chosen key (a way to slip a
/// concurrent commit in between a transaction's read and its commit), and can make chosen puts fail.
/// </summary>
internal sealed class HookedObjectStore(InMemoryObjectStore inner) : IObjectStore
{
    private Func<Task>? _hook;
    private string? _key;
    private Func<string, bool>? _failPut;

    public void BeforeCreating(string key, Func<Task> hook)
    {
        _key = key;
        _hook = hook;
    }

    /// <summary>Makes every <see cref="PutAsync"/> of a key matching <paramref name="predicate"/> fail with an I/O error.</summary>
    public void FailPuts(Func<string, bool> predicate) => _failPut = predicate;

    public Task<IReadOnlyList<ObjectInfo>> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

    public Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken = default) => inner.ReadAsync(key, cancellationToken);

    public async Task<bool> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        if (key == _key && Interlocked.Exchange(ref _hook, null) is { } hook)
        {
            await hook();
        }

        return await inner.PutIfAbsentAsync(key, content, cancellationToken);
    }

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        _failPut?.Invoke(key) == true
            ? throw new IOException($"injected failure writing {key}")
            : inner.PutAsync(key, content, cancellationToken);

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

    public string Locate(string key) => inner.Locate(key);
}
