namespace Clickstream.Delta.Maintenance;

/// <summary>What a manifest generation or update did.</summary>
/// <param name="Version">The table version the manifests now describe.</param>
/// <param name="Written">Keys of the manifests written, in key order.</param>
/// <param name="Deleted">Keys of the manifests deleted (partitions left without files), in key order.</param>
public sealed record ManifestUpdate(long Version, IReadOnlyList<string> Written, IReadOnlyList<string> Deleted);
