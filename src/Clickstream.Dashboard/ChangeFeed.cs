namespace Clickstream.Dashboard;

/// <summary>
/// One background loop probes the store every poll interval and publishes the newest <see cref="FeedState"/>; every
/// live connection waits on the same signal, so a hundred open pages cost the store one cheap query per interval.
/// The loop owns <see cref="_current"/> and the signal; readers only read the volatile fields.
/// </summary>
internal sealed class ChangeFeed : IAsyncDisposable
{
    private readonly IDashboardData _data;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private volatile FeedState _current;
    private volatile TaskCompletionSource _changed = NewSignal();
    private Task? _loop;

    public ChangeFeed(IDashboardData data, TimeSpan interval, TimeProvider time)
    {
        _data = data;
        _interval = interval;
        _time = time;
        _current = Probe();
    }

    /// <summary>The newest state seen by the loop.</summary>
    public FeedState Current => _current;

    /// <summary>Completes the next time the state changes.</summary>
    public Task Changed => _changed.Task;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(_interval, _time, ct);
            var next = Probe();
            if (next != _current)
            {
                _current = next;
                var signal = Interlocked.Exchange(ref _changed, NewSignal());
                signal.TrySetResult();
            }
        }
    }

    private FeedState Probe()
    {
        try
        {
            return new FeedState(_data.GetVersion(), null);
        }
        catch (DashboardDataUnavailableException e)
        {
            return new FeedState(DataVersion.None, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever the data source throws, the loop keeps probing: the pages show the reason and recover by
            // themselves when the store is readable again, instead of silently losing their live updates.
            return new FeedState(DataVersion.None, $"the store could not be probed: {e.Message}");
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
