namespace Clickstream.Delta.Maintenance;

/// <summary>What a compaction did.</summary>
/// <param name="Version">The version of the OPTIMIZE commit, or null when there was nothing to compact.</param>
/// <param name="Partitions">The days compacted, in directory order.</param>
public sealed record OptimizeResult(long? Version, IReadOnlyList<OptimizedPartition> Partitions)
{
    /// <summary>The number of small files replaced.</summary>
    public int FilesRemoved => Partitions.Sum(p => p.FilesRemoved);

    /// <summary>The number of files written.</summary>
    public int FilesAdded => Partitions.Sum(p => p.FilesAdded);

    /// <summary>The bytes of the files replaced.</summary>
    public long BytesRemoved => Partitions.Sum(p => p.BytesRemoved);

    /// <summary>The bytes of the files written.</summary>
    public long BytesAdded => Partitions.Sum(p => p.BytesAdded);

    /// <summary>The rows rewritten.</summary>
    public long Records => Partitions.Sum(p => p.Records);

    /// <summary>The manifests updated after the commit, when the table keeps symlink manifests.</summary>
    public ManifestUpdate? Manifests { get; init; }
}
