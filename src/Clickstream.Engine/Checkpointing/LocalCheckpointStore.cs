namespace Clickstream.Engine.Checkpointing;

/// <summary>
/// A checkpoint in a local folder. Create-only entries go through <see cref="AtomicFile"/> (temporary file,
/// fsync, <c>link(2)</c>); replaced files are written to a temporary name, flushed to disk and renamed, so a crash
/// never leaves a half-written object behind; folders are created as needed.
/// </summary>
public sealed class LocalCheckpointStore : ICheckpointStore
{
    /// <summary>A store rooted at <paramref name="root"/> (created on the first write).</summary>
    public LocalCheckpointStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The root folder.</summary>
    public string Root { get; }

    /// <inheritdoc />
    public string Describe(string key) => PathOf(key);

    /// <inheritdoc />
    public byte[]? Read(string key)
    {
        try
        {
            return File.ReadAllBytes(PathOf(key));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public bool TryCreate(string key, ReadOnlySpan<byte> content)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return AtomicFile.TryCreate(path, content);
    }

    /// <inheritdoc />
    public void Write(string key, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + ".tmp";
        using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            write(file);
            file.Flush(flushToDisk: true);
        }

        File.Move(tmp, path, overwrite: true);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> List(string folder)
    {
        var dir = PathOf(folder);
        if (!Directory.Exists(dir))
        {
            return [];
        }

        var names = new List<string>();
        foreach (var file in Directory.EnumerateFiles(dir))
        {
            names.Add(Path.GetFileName(file));
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <inheritdoc />
    public bool Delete(string key)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    /// <inheritdoc />
    public void AppendLine(string key, string line)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var w = new StreamWriter(path, append: true);
        w.Write(line);
        w.Write('\n');
    }

    private string PathOf(string key) => key.Length == 0 ? Root : Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar));
}
