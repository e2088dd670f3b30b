namespace Clickstream.Aws;

/// <summary>
/// Retries a call while <see cref="AwsErrors"/> calls its failures retryable: full-jitter exponential backoff
/// (50 ms doubling up to 5 s) until a deadline, then the last error. The SDK's own retries run inside each attempt;
/// this loop is the outer guarantee that a throttled or briefly unreachable service pauses the job instead of
/// failing it.
/// </summary>
public sealed class AwsRetry
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _time;
    private readonly TimeSpan _deadline;

    public AwsRetry(TimeProvider time, TimeSpan deadline)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _deadline = deadline;
    }

    /// <summary>The number of retries made so far (for metrics and tests).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    private long _retries;

    /// <summary>Runs <paramref name="call"/>, retrying retryable failures until the deadline.</summary>
    /// <param name="what">What the call does, for the error message (e.g. "PUT s3://bucket/key").</param>
    /// <param name="call">The call.</param>
    /// <param name="cancellationToken">Stops waiting and retrying.</param>
    public async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var start = _time.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (AwsErrors.Classify(e) != AwsErrorKind.Retryable)
                {
                    throw new AwsCallException($"{what} failed: {AwsErrors.Describe(e)}", e, retryable: false);
                }

                var elapsed = _time.GetElapsedTime(start);
                if (elapsed >= _deadline)
                {
                    throw new AwsCallException($"{what} still failing after {elapsed.TotalSeconds:F0} s of retries: {AwsErrors.Describe(e)}", e, retryable: true);
                }

                var cap = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16)));
                var delay = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
                Interlocked.Increment(ref _retries);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs <paramref name="call"/> (no result), retrying retryable failures until the deadline.</summary>
    public Task RunAsync(string what, Func<CancellationToken, Task> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return RunAsync<bool>(what, async ct =>
        {
            await call(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }
}
