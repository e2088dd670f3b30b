using System.Text;
using Clickstream.Delta.Storage;
using Clickstream.Engine.Checkpointing;

namespace Clickstream.Aws.Checkpointing;

/// <summary>
/// A query checkpoint on an object store (S3 in production; the in-memory store in tests): the engine's
/// synchronous checkpoint calls mapped onto <see cref="IObjectStore"/>. Create-only entries (offsets, commits,
/// source logs, the query id) use put-if-absent, so two runs of one query can never both plan a batch; replaced
/// objects (state files) rely on S3 PUTs being atomic. The engine calls from its driver thread and from the state
/// commit's partition workers; the underlying store is thread-safe.
/// </summary>
public sealed class ObjectStoreCheckpointStore : ICheckpointStore
{
    /// <summary>Progress lines kept in the progress object: objects cannot be appended to, and readers want the tail.</summary>
    public const int ProgressLinesKept = 256;

    private readonly IObjectStore _store;
    private readonly Lock _appendLock = new();
    private readonly Dictionary<string, Queue<string>> _tails = new(StringComparer.Ordinal);

    /// <summary>A checkpoint whose keys are <paramref name="store"/>'s keys.</summary>
    public ObjectStoreCheckpointStore(IObjectStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <inheritdoc />
    public string Describe(string key) => _store.Locate(key);

    /// <inheritdoc />
    public byte[]? Read(string key) => Wait(_store.ReadAsync(key));

    /// <inheritdoc />
    public bool TryCreate(string key, ReadOnlySpan<byte> content)
    {
        var bytes = content.ToArray();
        if (Wait(_store.PutIfAbsentAsync(key, bytes)))
        {
            return true;
        }

        // A conditional PUT retried after a lost answer meets its own first attempt: the same bytes mean this run
        // created the entry. Different bytes mean another writer did.
        return Wait(_store.ReadAsync(key)) is { } existing && existing.AsSpan().SequenceEqual(bytes);
    }

    /// <inheritdoc />
    public void Write(string key, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var buffer = new MemoryStream();
        write(buffer);
        Wait(_store.PutAsync(key, buffer.GetBuffer().AsMemory(0, (int)buffer.Length)));
    }

    /// <inheritdoc />
    public IReadOnlyList<string> List(string folder)
    {
        var prefix = folder.Length == 0 ? string.Empty : folder + "/";
        var names = new List<string>();
        foreach (var item in Wait(_store.ListAsync(prefix)))
        {
            var name = item.Key[prefix.Length..];
            if (name.Length > 0 && !name.Contains('/', StringComparison.Ordinal))
            {
                names.Add(name);
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <inheritdoc />
    public bool Delete(string key) => Wait(_store.DeleteAsync(key));

    /// <inheritdoc />
    public void AppendLine(string key, string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        string text;
        lock (_appendLock)
        {
            if (!_tails.TryGetValue(key, out var tail))
            {
                // Continue the tail an earlier run left, so a restart does not blank the reports readers use.
                tail = new Queue<string>();
                if (Wait(_store.ReadAsync(key)) is { } existing)
                {
                    foreach (var old in Encoding.UTF8.GetString(existing).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    {
                        tail.Enqueue(old);
                    }
                }

                _tails[key] = tail;
            }

            tail.Enqueue(line);
            while (tail.Count > ProgressLinesKept)
            {
                tail.Dequeue();
            }

            var sb = new StringBuilder();
            foreach (var l in tail)
            {
                sb.Append(l).Append('\n');
            }

            text = sb.ToString();
        }

        Wait(_store.PutAsync(key, Encoding.UTF8.GetBytes(text)));
    }

    // The engine's checkpoint calls are synchronous and run on threads without a synchronization context, so
    // blocking on the store's task cannot deadlock; exceptions surface unwrapped.
    private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private static void Wait(Task task) => task.GetAwaiter().GetResult();
}
