namespace Clickstream.Aws.Leases;

/// <summary>
/// One shard's lease as the lease table holds it (KCL 2.x's item layout, so KCL's tooling can read the table):
/// <c>leaseKey</c> (the shard id), <c>leaseOwner</c> (the worker holding it, absent when free), <c>leaseCounter</c>
/// (raised by the owner at every renewal; a counter that stops moving means the owner is gone),
/// <c>ownerSwitchesSinceCheckpoint</c>, <c>parentShardId</c> (after a split or merge) and <c>checkpoint</c>
/// (<see cref="TrimHorizon"/> until the shard is read to its end, then <see cref="ShardEnd"/>).
/// </summary>
public sealed record ShardLease(string LeaseKey, string? Owner, long Counter, long OwnerSwitches, IReadOnlyList<string> Parents, string Checkpoint)
{
    /// <summary>The checkpoint of a shard not yet read to its end.</summary>
    public const string TrimHorizon = "TRIM_HORIZON";

    /// <summary>The checkpoint of a shard read to its end: nobody needs to hold it any more.</summary>
    public const string ShardEnd = "SHARD_END";

    /// <summary>True when the shard has been read to its end.</summary>
    public bool IsDone => Checkpoint == ShardEnd;
}
