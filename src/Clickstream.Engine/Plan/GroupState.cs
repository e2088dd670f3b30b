namespace Clickstream.Engine.Plan;

/// <summary>
/// The state of one key handed to a <c>flatMapGroupsWithState</c> function for one call (Spark's <c>GroupState</c>).
/// The timeout is cleared at every call: a function that wants one sets it again. The object is reused for
/// the next key after the call returns, so the function must not keep it.
/// </summary>
/// <typeparam name="TState">The user's state type.</typeparam>
public sealed class GroupState<TState>
{
    /// <summary>"No timeout set".</summary>
    public const long NoTimestamp = long.MinValue;

    private readonly GroupStateTimeout _timeoutKind;
    private TState? _value;

    internal GroupState(GroupStateTimeout timeoutKind) => _timeoutKind = timeoutKind;

    internal void Reset(bool exists, TState? value, bool hasTimedOut, long watermarkMs, long processingTimeMs)
    {
        Exists = exists;
        _value = value;
        HasTimedOut = hasTimedOut;
        CurrentWatermarkMs = watermarkMs;
        CurrentProcessingTimeMs = processingTimeMs;
        TimeoutTimestampMs = NoTimestamp;
        Removed = false;
    }

    /// <summary>Whether the key has state.</summary>
    public bool Exists { get; private set; }

    /// <summary>True when this call is a timeout (no rows).</summary>
    public bool HasTimedOut { get; private set; }

    /// <summary>The batch's eviction watermark.</summary>
    public long CurrentWatermarkMs { get; private set; }

    /// <summary>The batch's processing time.</summary>
    public long CurrentProcessingTimeMs { get; private set; }

    /// <summary>The timeout set during this call, or <see cref="NoTimestamp"/>.</summary>
    public long TimeoutTimestampMs { get; private set; } = NoTimestamp;

    internal bool Removed { get; private set; }

    /// <summary>The state value; throws when there is none.</summary>
    public TState Value => Exists ? _value! : throw new InvalidOperationException("the group has no state");

    /// <summary>Sets the state.</summary>
    public void Update(TState value)
    {
        _value = value;
        Exists = true;
        Removed = false;
    }

    /// <summary>Removes the state (and any timeout).</summary>
    public void Remove()
    {
        _value = default;
        Exists = false;
        Removed = true;
        TimeoutTimestampMs = NoTimestamp;
    }

    /// <summary>Event-time timeout: the key times out once the watermark passes <paramref name="timestampMs"/>.</summary>
    public void SetTimeoutTimestamp(long timestampMs)
    {
        if (_timeoutKind != GroupStateTimeout.EventTime)
        {
            throw new InvalidOperationException("SetTimeoutTimestamp needs GroupStateTimeout.EventTime");
        }

        if (timestampMs < CurrentWatermarkMs)
        {
            throw new ArgumentOutOfRangeException(nameof(timestampMs), $"timeout timestamp {timestampMs} is earlier than the current watermark {CurrentWatermarkMs}");
        }

        TimeoutTimestampMs = timestampMs;
    }

    /// <summary>Processing-time timeout after <paramref name="durationMs"/> from this batch's processing time.</summary>
    public void SetTimeoutDuration(long durationMs)
    {
        if (_timeoutKind != GroupStateTimeout.ProcessingTime)
        {
            throw new InvalidOperationException("SetTimeoutDuration needs GroupStateTimeout.ProcessingTime");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(durationMs);
        TimeoutTimestampMs = CurrentProcessingTimeMs + durationMs;
    }
}
