namespace Clickstream.Engine.Tests.SparkVectors;

/// <summary>A clock the test moves by hand (Spark's ManualClock).</summary>
internal sealed class ManualClock : TimeProvider
{
    public long NowMs { get; set; }

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);
}
