namespace Clickstream.Engine.Sources;

/// <summary>A file as the file source logged it when it was discovered.</summary>
/// <param name="Path">The absolute path; the file's identity.</param>
/// <param name="TimestampMs">Last write time, Unix milliseconds (UTC).</param>
/// <param name="Size">The size in bytes at discovery; uncompressed files are read up to this size.</param>
internal readonly record struct FileEntry(string Path, long TimestampMs, long Size)
{
    public bool IsGzip => Path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
}
