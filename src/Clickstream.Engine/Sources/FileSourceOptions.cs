namespace Clickstream.Engine.Sources;

/// <summary>Limits and tuning of a <see cref="FileSource{T}"/>.</summary>
public sealed record FileSourceOptions
{
    /// <summary>The default <see cref="MaxLineBytes"/>: 1 MiB.</summary>
    public const int DefaultMaxLineBytes = 1 << 20;

    /// <summary>The default <see cref="SplitBytes"/>: 64 MiB.</summary>
    public const long DefaultSplitBytes = 64L << 20;

    /// <summary>At most this many new files per batch (Spark's <c>maxFilesPerTrigger</c>); null = no limit.</summary>
    public int? MaxFilesPerTrigger { get; init; }

    /// <summary>
    /// At most this many bytes of new files per batch (on-disk sizes; Spark's <c>maxBytesPerTrigger</c>); null = no
    /// limit. A batch always takes at least one file, even a bigger one. When both limits are set, the batch stops
    /// at whichever is reached first.
    /// </summary>
    public long? MaxBytesPerTrigger { get; init; }

    /// <summary>Lines longer than this are given to the decoder truncated to this length, flagged <see cref="LineContext.Truncated"/>.</summary>
    public int MaxLineBytes { get; init; } = DefaultMaxLineBytes;

    /// <summary>Uncompressed files larger than this are read as several byte ranges in parallel. Gzip files are always one split.</summary>
    public long SplitBytes { get; init; } = DefaultSplitBytes;

    internal void Validate()
    {
        if (MaxFilesPerTrigger is { } files)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(files, nameof(MaxFilesPerTrigger));
        }

        if (MaxBytesPerTrigger is { } bytes)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes, nameof(MaxBytesPerTrigger));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxLineBytes, nameof(MaxLineBytes));

        // The line buffer holds a whole line plus its "\r\n", so it must stay below the array size limit.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxLineBytes, Array.MaxLength - 2, nameof(MaxLineBytes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SplitBytes, nameof(SplitBytes));
    }
}
