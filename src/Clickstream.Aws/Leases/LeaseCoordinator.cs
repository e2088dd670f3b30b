namespace Clickstream.Aws.Leases;

/// <summary>Settings of a <see cref="LeaseCoordinator"/>.</summary>
public sealed record LeaseCoordinatorOptions
{
    /// <summary>
    /// A lease whose counter has not moved for this long is expired: its owner is taken to be gone (KCL's
    /// <c>failoverTimeMillis</c>). Workers renew every third of it.
    /// </summary>
    public TimeSpan FailoverTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Leases taken from a busier worker in one round, when no lease is free or expired.</summary>
    public int MaxLeasesToStealAtOnce { get; init; } = 1;

    /// <summary>How often a worker should call <see cref="LeaseCoordinator.RunOnceAsync"/>.</summary>
    public TimeSpan RenewInterval => FailoverTime / 3;
}

/// <summary>What one round changed for this worker.</summary>
/// <param name="Taken">Leases this worker took (free, expired or stolen).</param>
/// <param name="Lost">Leases this worker held and lost (another worker took them).</param>
public sealed record LeaseChanges(IReadOnlyList<string> Taken, IReadOnlyList<string> Lost);

/// <summary>
/// One worker's side of KCL's lease model. Each round renews the leases it holds (a failed condition means another
/// worker took one: it is reported lost), reads the whole table, and balances: with <c>W</c> workers alive (the
/// owners of unexpired leases, and this one) and <c>L</c> leases still to read, each worker aims at
/// <c>ceil(L / W)</c>; a worker below that takes free and expired leases first and otherwise steals one from the
/// busiest worker if that one holds more than the target (or the target while this one lacks two or more). A lease is expired when its counter has not moved for
/// <see cref="LeaseCoordinatorOptions.FailoverTime"/> by this worker's clock (no clocks are compared across
/// workers). A child shard's lease is taken only once its parents are read to their end, so a shard's events
/// come after its parents'. Every take is a conditional write: of two workers racing for a lease, one wins.
/// </summary>
public sealed class LeaseCoordinator
{
    private readonly LeaseTable _table;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (long Counter, string? Owner, long ChangedAt)> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ShardLease> _held = new(StringComparer.Ordinal);

    public LeaseCoordinator(LeaseTable table, string workerId, LeaseCoordinatorOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        _table = table;
        WorkerId = workerId;
        Options = options ?? new LeaseCoordinatorOptions();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>This worker's id (the <c>leaseOwner</c> it writes).</summary>
    public string WorkerId { get; }

    /// <summary>The coordinator's settings.</summary>
    public LeaseCoordinatorOptions Options { get; }

    /// <summary>The shards whose leases this worker holds.</summary>
    public IReadOnlyCollection<string> Held => _held.Keys;

    /// <summary>Renews, then balances; returns what changed for this worker.</summary>
    public async Task<LeaseChanges> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var lost = new List<string>();
        foreach (var lease in _held.Values.ToList())
        {
            if (await _table.RenewAsync(lease, cancellationToken).ConfigureAwait(false))
            {
                _held[lease.LeaseKey] = lease with { Counter = lease.Counter + 1 };
            }
            else
            {
                _held.Remove(lease.LeaseKey);
                lost.Add(lease.LeaseKey);
            }
        }

        var now = _time.GetTimestamp();
        var all = await _table.ListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var lease in all)
        {
            if (!_seen.TryGetValue(lease.LeaseKey, out var seen) || seen.Counter != lease.Counter || seen.Owner != lease.Owner)
            {
                _seen[lease.LeaseKey] = (lease.Counter, lease.Owner, now);
            }

            // A lease this worker thinks it holds but that the table gives to another (or to nobody) is lost.
            if (_held.ContainsKey(lease.LeaseKey) && lease.Owner != WorkerId)
            {
                _held.Remove(lease.LeaseKey);
                lost.Add(lease.LeaseKey);
            }
        }

        var taken = await BalanceAsync(all, now, cancellationToken).ConfigureAwait(false);
        return new LeaseChanges(taken, lost);
    }

    /// <summary>Records that this worker read <paramref name="shardId"/> to its end, freeing its lease for good.</summary>
    public async Task<bool> MarkDoneAsync(string shardId, CancellationToken cancellationToken = default)
    {
        if (!_held.Remove(shardId, out var lease))
        {
            return false;
        }

        return await _table.MarkDoneAsync(lease, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives up every lease (graceful stop), so other workers take them in their next round.</summary>
    public async Task ReleaseAllAsync(CancellationToken cancellationToken = default)
    {
        foreach (var lease in _held.Values.ToList())
        {
            await _table.ReleaseAsync(lease, cancellationToken).ConfigureAwait(false);
            _held.Remove(lease.LeaseKey);
        }
    }

    private bool IsExpired(ShardLease lease, long now) =>
        lease.Owner is null
        || (lease.Owner != WorkerId && _seen.TryGetValue(lease.LeaseKey, out var seen) && _time.GetElapsedTime(seen.ChangedAt, now) >= Options.FailoverTime);

    private async Task<List<string>> BalanceAsync(IReadOnlyList<ShardLease> all, long now, CancellationToken cancellationToken)
    {
        var done = all.Where(l => l.IsDone).Select(l => l.LeaseKey).ToHashSet(StringComparer.Ordinal);
        var known = all.Select(l => l.LeaseKey).ToHashSet(StringComparer.Ordinal);
        var open = all.Where(l => !l.IsDone).ToList();

        // Leases whose parents are still being read wait; they count for nobody yet.
        var ready = open.Where(l => l.Parents.All(p => done.Contains(p) || !known.Contains(p))).ToList();
        var alive = ready.Where(l => !IsExpired(l, now) && l.Owner is not null).GroupBy(l => l.Owner!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        alive[WorkerId] = _held.Count;
        var target = (ready.Count + alive.Count - 1) / alive.Count;
        var taken = new List<string>();
        var want = target - _held.Count;
        if (want <= 0 || ready.Count == 0)
        {
            return taken;
        }

        var free = ready.Where(l => l.Owner != WorkerId && IsExpired(l, now)).OrderBy(_ => Random.Shared.Next()).ToList();
        foreach (var lease in free.Take(want))
        {
            if (await TryTakeAsync(lease, cancellationToken).ConfigureAwait(false))
            {
                taken.Add(lease.LeaseKey);
            }
        }

        if (free.Count == 0)
        {
            // Nothing free: steal from the busiest worker if it holds more than its share, or exactly its share while
            // this one lacks more than one (4 leases over 3 workers must end 2/1/1, not 2/2/0).
            var busiest = alive.Where(a => a.Key != WorkerId).OrderByDescending(a => a.Value).ThenBy(a => a.Key, StringComparer.Ordinal).FirstOrDefault();
            if (busiest.Key is not null && (busiest.Value > target || (busiest.Value == target && want > 1)))
            {
                var victims = ready.Where(l => l.Owner == busiest.Key).OrderBy(_ => Random.Shared.Next()).Take(Math.Min(want, Options.MaxLeasesToStealAtOnce));
                foreach (var lease in victims)
                {
                    if (await TryTakeAsync(lease, cancellationToken).ConfigureAwait(false))
                    {
                        taken.Add(lease.LeaseKey);
                    }
                }
            }
        }

        return taken;
    }

    private async Task<bool> TryTakeAsync(ShardLease lease, CancellationToken cancellationToken)
    {
        if (!await _table.TakeAsync(lease, WorkerId, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        _held[lease.LeaseKey] = lease with { Owner = WorkerId, Counter = lease.Counter + 1, OwnerSwitches = lease.OwnerSwitches + 1 };
        _seen[lease.LeaseKey] = (lease.Counter + 1, WorkerId, _time.GetTimestamp());
        return true;
    }
}
