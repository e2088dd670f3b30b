namespace Clickstream.Delta.Maintenance;

/// <summary>What a retention run removed.</summary>
/// <param name="Version">The version of the DELETE commit, or null when no file was old enough (nothing committed).</param>
/// <param name="Cutoff">Days before this date were removed.</param>
/// <param name="FilesRemoved">The number of files removed.</param>
/// <param name="BytesRemoved">Their total size.</param>
/// <param name="RecordsRemoved">Their total row count, when every file's stats give it.</param>
/// <param name="Dates">The days removed, in order.</param>
public sealed record RetentionResult(long? Version, DateOnly Cutoff, int FilesRemoved, long BytesRemoved, long? RecordsRemoved, IReadOnlyList<DateOnly> Dates)
{
    /// <summary>The manifests updated after the commit, when the table keeps symlink manifests.</summary>
    public ManifestUpdate? Manifests { get; init; }
}
