namespace Clickstream.Engine.Plan;

/// <summary>Ready-made aggregate functions.</summary>
public static class Aggregates
{
    /// <summary><c>count(*)</c>.</summary>
    public static IAggregateFunction<T, long> Count<T>() => CountFunction<T>.Instance;

    /// <summary><c>sum(value)</c> over 64-bit integers.</summary>
    public static IAggregateFunction<T, long> Sum<T>(Func<T, long> value) => new SumFunction<T>(value);

    private sealed class CountFunction<T> : IAggregateFunction<T, long>
    {
        public static readonly CountFunction<T> Instance = new();

        public long Create() => 0;

        public long Add(long buffer, T row) => buffer + 1;

        public long Merge(long stored, long partial) => stored + partial;
    }

    private sealed class SumFunction<T>(Func<T, long> value) : IAggregateFunction<T, long>
    {
        public long Create() => 0;

        public long Add(long buffer, T row) => buffer + value(row);

        public long Merge(long stored, long partial) => stored + partial;
    }
}
