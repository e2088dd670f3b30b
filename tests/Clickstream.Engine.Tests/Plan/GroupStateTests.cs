using Clickstream.Engine.Plan;

namespace Clickstream.Engine.Tests.Plan;

public sealed class GroupStateTests
{
    [Fact]
    public void SetTimeoutTimestamp_EarlierThanWatermark_ThrowsNamingBothValues()
    {
        var state = EventTimeState(watermarkMs: 5_000);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => state.SetTimeoutTimestamp(4_999));

        Assert.Contains("4999", e.Message, StringComparison.Ordinal);
        Assert.Contains("5000", e.Message, StringComparison.Ordinal);
        Assert.Equal(GroupState<int>.NoTimestamp, state.TimeoutTimestampMs);
    }

    [Fact]
    public void SetTimeoutTimestamp_EqualToWatermark_IsAccepted()
    {
        var state = EventTimeState(watermarkMs: 5_000);

        state.SetTimeoutTimestamp(5_000);

        Assert.Equal(5_000, state.TimeoutTimestampMs);
    }

    [Fact]
    public void SetTimeoutTimestamp_ProcessingTimeTimeout_ThrowsInvalidOperation()
    {
        var state = new GroupState<int>(GroupStateTimeout.ProcessingTime);
        state.Reset(exists: false, value: 0, hasTimedOut: false, watermarkMs: 0, processingTimeMs: 1_000);

        Assert.Throws<InvalidOperationException>(() => state.SetTimeoutTimestamp(2_000));
    }

    [Fact]
    public void SetTimeoutDuration_ProcessingTime_IsBatchTimePlusDuration()
    {
        var state = new GroupState<int>(GroupStateTimeout.ProcessingTime);
        state.Reset(exists: false, value: 0, hasTimedOut: false, watermarkMs: 0, processingTimeMs: 1_000);

        state.SetTimeoutDuration(250);

        Assert.Equal(1_250, state.TimeoutTimestampMs);
        Assert.Throws<ArgumentOutOfRangeException>(() => state.SetTimeoutDuration(-1));
    }

    [Fact]
    public void SetTimeoutDuration_EventTimeTimeout_ThrowsInvalidOperation()
    {
        var state = EventTimeState(watermarkMs: 0);

        Assert.Throws<InvalidOperationException>(() => state.SetTimeoutDuration(10));
    }

    [Fact]
    public void Reset_NextKey_ClearsTheTimeoutAndState()
    {
        var state = EventTimeState(watermarkMs: 0);
        state.Update(3);
        state.SetTimeoutTimestamp(100);

        state.Reset(exists: false, value: 0, hasTimedOut: false, watermarkMs: 0, processingTimeMs: 0);

        Assert.Equal(GroupState<int>.NoTimestamp, state.TimeoutTimestampMs);
        Assert.False(state.Exists);
        Assert.Throws<InvalidOperationException>(() => state.Value);
    }

    [Fact]
    public void Remove_AfterSettingTimeout_ClearsBoth()
    {
        var state = EventTimeState(watermarkMs: 0);
        state.Update(3);
        state.SetTimeoutTimestamp(100);

        state.Remove();

        Assert.False(state.Exists);
        Assert.Equal(GroupState<int>.NoTimestamp, state.TimeoutTimestampMs);
    }

    private static GroupState<int> EventTimeState(long watermarkMs)
    {
        var state = new GroupState<int>(GroupStateTimeout.EventTime);
        state.Reset(exists: false, value: 0, hasTimedOut: false, watermarkMs: watermarkMs, processingTimeMs: 0);
        return state;
    }
}
