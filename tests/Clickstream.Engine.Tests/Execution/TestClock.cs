namespace Clickstream.Engine.Tests.Execution;

/// <summary>
/// A wall clock the test sets by hand (batch timestamps come from it). Timers and <see cref="TimeProvider.GetTimestamp"/>
/// stay on the system clock, so trigger intervals still elapse.
/// </summary>
internal sealed class TestClock(long nowMs = 1_700_000_000_000) : TimeProvider
{
    public long NowMs { get; set; } = nowMs;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);
}
