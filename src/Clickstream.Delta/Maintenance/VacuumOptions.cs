namespace Clickstream.Delta.Maintenance;

/// <summary>Options of <see cref="Vacuum.RunAsync"/>.</summary>
public sealed record VacuumOptions
{
    /// <summary>The options used when none are given: no force, no progress, 16 parallel deletes.</summary>
    public static VacuumOptions Default { get; } = new();

    /// <summary>Accept a retention shorter than the table's <c>delta.deletedFileRetentionDuration</c>.</summary>
    public bool Force { get; init; }

    /// <summary>Receives a line of progress after listing and after every thousand deletions.</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>How many deletions run at once (object stores answer each in a round trip).</summary>
    public int MaxParallelDeletes { get; init; } = 16;
}
