using Clickstream.Delta.Storage;

namespace Clickstream.Delta.Maintenance;

/// <summary>What a VACUUM deleted, or would delete in a dry run.</summary>
/// <param name="Version">The table version whose references were kept.</param>
/// <param name="DryRun">True when nothing was deleted and <paramref name="Files"/> lists what would have been.</param>
/// <param name="Cutoff">Files last modified (or removed) before this instant were eligible.</param>
/// <param name="FilesScanned">How many data files (outside <c>_</c> and hidden folders) the listing found.</param>
/// <param name="Files">The files deleted (or to delete), in key order.</param>
public sealed record VacuumResult(long Version, bool DryRun, DateTimeOffset Cutoff, int FilesScanned, IReadOnlyList<ObjectInfo> Files)
{
    /// <summary>The number of files deleted (or to delete).</summary>
    public int Count => Files.Count;

    /// <summary>Their total size in bytes.</summary>
    public long Bytes { get; } = Files.Sum(f => f.Size);
}
