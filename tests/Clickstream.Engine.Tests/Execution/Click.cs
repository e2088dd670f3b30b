namespace Clickstream.Engine.Tests.Execution;

/// <summary>A test event: an id (the deduplication key), a group and an event time in microseconds since the epoch.</summary>
internal sealed record Click(long Id, string Group, long TimeMicros)
{
    public static Click AtSeconds(long id, string group, double seconds) => new(id, group, (long)Math.Round(seconds * 1_000_000));

    public UInt128 Key => (UInt128)(ulong)Id;

    public override string ToString() => $"{Id}/{Group}@{TimeMicros}";
}
