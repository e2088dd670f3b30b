using System.Runtime.InteropServices;

namespace Clickstream.Delta.Storage;

/// <summary>
/// An object store over a local folder. Put-if-absent writes a temporary file, flushes it to disk, and links it
/// to its final name with <c>link(2)</c>, which fails atomically with EEXIST when the name exists: of two racing
/// processes exactly one wins and a reader never sees a partial file. (<c>File.Move(overwrite: false)</c> is not
/// used: on Unix it checks for the target and then renames, so a file created in between is replaced.)
/// Temporary files are hidden (<c>.name.tmp</c>) and never listed.
/// </summary>
public sealed partial class LocalObjectStore : IObjectStore
{
    private const int EEXIST = 17;
    private readonly string _root;

    /// <summary>Opens (and creates if needed) the folder <paramref name="root"/>.</summary>
    public LocalObjectStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    /// <summary>The absolute root folder.</summary>
    public string Root => _root;

    /// <inheritdoc />
    public Task<IReadOnlyList<ObjectInfo>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var slash = prefix.LastIndexOf('/');
        var start = slash < 0 ? _root : Path.Combine(_root, prefix[..slash]);
        var result = new List<ObjectInfo>();
        if (Directory.Exists(start))
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
            foreach (var path in Directory.EnumerateFiles(start, "*", options))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var key = Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/');
                if (!key.StartsWith(prefix, StringComparison.Ordinal) || IsTemporary(key))
                {
                    continue;
                }

                var info = new FileInfo(path);
                if (info.Exists)
                {
                    result.Add(new ObjectInfo(key, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero)));
                }
            }
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return Task.FromResult<IReadOnlyList<ObjectInfo>>(result);
    }

    /// <inheritdoc />
    public async Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(key), cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<bool> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        await WriteIfAbsentAsync(key, (stream, ct) => stream.WriteAsync(content, ct).AsTask(), cancellationToken).ConfigureAwait(false) is not null;

    /// <inheritdoc />
    /// <remarks>The content goes straight into the temporary file, so memory use does not grow with its size.</remarks>
    public async Task<long?> WriteIfAbsentAsync(string key, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var path = PathOf(key);
        var (tmp, size) = await WriteTemporaryAsync(path, write, cancellationToken).ConfigureAwait(false);
        try
        {
            return Publish(tmp, path) ? size : null;
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    /// <inheritdoc />
    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        var (tmp, _) = await WriteTemporaryAsync(path, (stream, ct) => stream.WriteAsync(content, ct).AsTask(), cancellationToken).ConfigureAwait(false);
        try
        {
            File.Move(tmp, path, overwrite: true);
            SyncDirectory(Path.GetDirectoryName(path)!);
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        RemoveEmptyParents(Path.GetDirectoryName(path)!);
        return Task.FromResult(true);
    }

    /// <inheritdoc />
    public string Locate(string key) => PathOf(key);

    private string PathOf(string key)
    {
        ObjectKeys.Validate(key);
        return Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));
    }

    private static bool IsTemporary(string key)
    {
        var name = key[(key.LastIndexOf('/') + 1)..];
        return name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal);
    }

    /// <summary>Links the finished temporary file to its final name unless that exists: true when it was created.</summary>
    private static bool Publish(string tmp, string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            // Windows: MoveFileEx without MOVEFILE_REPLACE_EXISTING is atomic on NTFS.
            try
            {
                File.Move(tmp, path, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(path))
            {
                return false;
            }
        }

        if (Link(tmp, path) == 0)
        {
            SyncDirectory(Path.GetDirectoryName(path)!);
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno == EEXIST)
        {
            return false;
        }

        throw new IOException($"cannot create {path}: link(2) failed with errno {errno}");
    }

    /// <summary>
    /// Creates a hidden temporary file beside <paramref name="path"/>, lets <paramref name="write"/> fill it and
    /// flushes it to disk; returns its path and size. If <paramref name="write"/> throws, the file is removed.
    /// </summary>
    private static async Task<(string Path, long Size)> WriteTemporaryAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path)!;
        var tmp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        FileStream file;
        for (var attempt = 0; ; attempt++)
        {
            Directory.CreateDirectory(directory);
            try
            {
                file = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: false);
                break;
            }
            catch (DirectoryNotFoundException) when (attempt < 3)
            {
                // A concurrent delete (vacuum) removed the folder as it became empty: create it again.
            }
        }

        try
        {
            long size;
            await using (file.ConfigureAwait(false))
            {
                await write(file, cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
                size = file.Length;
            }

            return (tmp, size);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    private void RemoveEmptyParents(string directory)
    {
        while (directory.Length > _root.Length && directory.StartsWith(_root, StringComparison.Ordinal))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(directory).Any())
                {
                    return;
                }

                Directory.Delete(directory);
            }
            catch (IOException)
            {
                return;
            }

            directory = Path.GetDirectoryName(directory)!;
        }
    }

    private static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd >= 0)
        {
            _ = Fsync(fd);
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
