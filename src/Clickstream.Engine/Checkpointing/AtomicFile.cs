using System.Runtime.InteropServices;
using System.Text;

namespace Clickstream.Engine.Checkpointing;

/// <summary>
/// Create-only, crash-safe file writes: the content goes to a temporary file that is flushed to disk, then
/// linked to its final name with <c>link(2)</c>, which fails atomically if the name exists (so two writers can
/// never both create the same log entry). Falls back to a rename where <c>link</c> is unavailable.
/// </summary>
internal static partial class AtomicFile
{
    private const int EEXIST = 17;

    /// <summary>Creates <paramref name="path"/> with <paramref name="content"/>; returns false if it already exists.</summary>
    public static bool TryCreate(string path, string content) => TryCreate(path, Encoding.UTF8.GetBytes(content));

    /// <summary>Creates <paramref name="path"/> with <paramref name="content"/>; returns false if it already exists.</summary>
    public static bool TryCreate(string path, ReadOnlySpan<byte> content)
    {
        var tmp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
        {
            fs.Write(content);
            fs.Flush(flushToDisk: true);
        }

        try
        {
            if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            {
                if (Link(tmp, path) == 0)
                {
                    return true;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == EEXIST)
                {
                    return false;
                }

                throw new IOException($"cannot create {path}: link failed with errno {errno}");
            }

            if (File.Exists(path))
            {
                return false;
            }

            File.Move(tmp, path, overwrite: false);
            return true;
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    /// <summary>Replaces <paramref name="path"/> atomically (temporary file + rename).</summary>
    public static void Replace(string path, string content)
    {
        var tmp = path + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            fs.Write(Encoding.UTF8.GetBytes(content));
            fs.Flush(flushToDisk: true);
        }

        File.Move(tmp, path, overwrite: true);
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string oldPath, string newPath);
}
