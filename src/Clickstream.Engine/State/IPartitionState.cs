using Clickstream.Engine.Checkpointing;

namespace Clickstream.Engine.State;

/// <summary>The state of one operator partition, checkpointed as versioned delta and snapshot files (see docs/formats/state-store.md).</summary>
public interface IPartitionState
{
    /// <summary>Live rows.</summary>
    long Count { get; }

    /// <summary>An estimate of the memory the rows use.</summary>
    long MemoryBytes { get; }

    /// <summary>Replaces the in-memory contents with version <paramref name="version"/> read from <paramref name="dir"/>.</summary>
    void Load(CheckpointFolder dir, long version);

    /// <summary>Persists the changes since the last load/commit as version <paramref name="version"/>.</summary>
    void Commit(CheckpointFolder dir, long version, bool snapshot);
}
