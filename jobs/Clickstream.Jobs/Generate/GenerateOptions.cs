namespace Clickstream.Jobs.Generate;

/// <summary>What to generate; immutable, checked by <see cref="GenerateCommand"/> before a generator is built.</summary>
internal sealed record GenerateOptions
{
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    public required string OutputDirectory { get; init; }

    /// <summary>Lines to write, of every kind.</summary>
    public required long Events { get; init; }

    public ulong Seed { get; init; } = 42;

    /// <summary>Start of the on-time event range, truncated to the millisecond the files carry.</summary>
    public DateTimeOffset Start { get; init; } = DefaultStart;

    public int Minutes { get; init; } = 10;

    public double DuplicateRate { get; init; } = 0.02;

    public double InvalidRate { get; init; } = 0.005;

    public double LateRate { get; init; } = 0.002;

    public int Files { get; init; } = 4;

    public bool Gzip { get; init; }
}
