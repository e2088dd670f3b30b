namespace Clickstream.Delta.Maintenance;

/// <summary>One compacted day.</summary>
/// <param name="Directory">The partition directory (<c>event_date=2025-03-01</c>).</param>
/// <param name="FilesRemoved">Small files replaced.</param>
/// <param name="BytesRemoved">Their bytes.</param>
/// <param name="FilesAdded">Files written.</param>
/// <param name="BytesAdded">Their bytes.</param>
/// <param name="Records">Rows rewritten.</param>
public sealed record OptimizedPartition(string Directory, int FilesRemoved, long BytesRemoved, int FilesAdded, long BytesAdded, long Records);
