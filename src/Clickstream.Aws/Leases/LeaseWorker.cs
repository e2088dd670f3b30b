namespace Clickstream.Aws.Leases;

/// <summary>
/// Runs one process's share of a stream's shards: every <see cref="LeaseCoordinatorOptions.RenewInterval"/> it makes
/// sure every shard has a lease (<c>syncLeases</c>, e.g. from ListShards), renews and balances through the
/// <see cref="LeaseCoordinator"/>, starts <c>runShard</c> for each lease it took and cancels it for each lease it
/// lost. <c>runShard</c> returns true when it read its shard to the end; the lease is then marked done, which lets
/// the shard's children be taken. Stopping cancels every shard and releases the leases, so other workers take them
/// in their next round instead of after the failover time; a process that dies simply stops renewing, and its leases
/// expire.
/// </summary>
public sealed class LeaseWorker
{
    private readonly LeaseCoordinator _coordinator;
    private readonly Func<CancellationToken, Task> _syncLeases;
    private readonly Func<string, CancellationToken, Task<bool>> _runShard;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (Task<bool> Task, CancellationTokenSource Stop)> _running = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public LeaseWorker(LeaseCoordinator coordinator, Func<CancellationToken, Task> syncLeases, Func<string, CancellationToken, Task<bool>> runShard, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        ArgumentNullException.ThrowIfNull(syncLeases);
        ArgumentNullException.ThrowIfNull(runShard);
        _coordinator = coordinator;
        _syncLeases = syncLeases;
        _runShard = runShard;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The shards this worker is reading now.</summary>
    public IReadOnlyCollection<string> Running
    {
        get
        {
            lock (_gate)
            {
                return [.. _running.Keys];
            }
        }
    }

    /// <summary>
    /// Works until <paramref name="cancellationToken"/> is cancelled, then stops every shard and (with
    /// <paramref name="releaseOnStop"/>) releases the leases. A shard runner's failure stops the worker with it.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken, bool releaseOnStop = true)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await _syncLeases(cancellationToken).ConfigureAwait(false);
                var changes = await _coordinator.RunOnceAsync(cancellationToken).ConfigureAwait(false);
                foreach (var shard in changes.Lost)
                {
                    await StopAsync(shard).ConfigureAwait(false);
                }

                foreach (var shard in changes.Taken)
                {
                    Start(shard);
                }

                await ReapAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(_coordinator.Options.RenewInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A normal stop.
        }
        finally
        {
            foreach (var shard in Running)
            {
                await StopAsync(shard).ConfigureAwait(false);
            }

            if (releaseOnStop)
            {
                await _coordinator.ReleaseAllAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private void Start(string shard)
    {
        var stop = new CancellationTokenSource();
        var task = Task.Run(() => _runShard(shard, stop.Token), CancellationToken.None);
        lock (_gate)
        {
            _running[shard] = (task, stop);
        }
    }

    private async Task StopAsync(string shard)
    {
        (Task<bool> Task, CancellationTokenSource Stop) run;
        lock (_gate)
        {
            if (!_running.Remove(shard, out run))
            {
                return;
            }
        }

        await run.Stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await run.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped as asked.
        }
        finally
        {
            run.Stop.Dispose();
        }
    }

    /// <summary>Marks finished shards done; rethrows a runner's failure.</summary>
    private async Task ReapAsync(CancellationToken cancellationToken)
    {
        List<(string Shard, Task<bool> Task, CancellationTokenSource Stop)> finished;
        lock (_gate)
        {
            finished = [.. _running.Where(r => r.Value.Task.IsCompleted).Select(r => (r.Key, r.Value.Task, r.Value.Stop))];
            foreach (var (shard, _, _) in finished)
            {
                _running.Remove(shard);
            }
        }

        foreach (var (shard, task, stop) in finished)
        {
            stop.Dispose();
            if (await task.ConfigureAwait(false))
            {
                await _coordinator.MarkDoneAsync(shard, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
