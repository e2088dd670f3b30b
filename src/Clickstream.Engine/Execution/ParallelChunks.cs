namespace Clickstream.Engine.Execution;

/// <summary>
/// Splits <c>[0, count)</c> into contiguous chunks, one per core, and runs them in parallel; small inputs run inline.
/// Results are combined by the caller in chunk order, which keeps row order deterministic.
/// </summary>
internal static class ParallelChunks
{
    /// <summary>Below this many rows a single thread is faster than coordinating several.</summary>
    public const int MinRowsPerChunk = 16_384;

    public static int ChunkCount(int count) => Math.Clamp(count / MinRowsPerChunk, 1, Environment.ProcessorCount);

    public static void Run(int count, int chunks, Action<int, int, int> body, CancellationToken cancellationToken)
    {
        if (chunks <= 1)
        {
            body(0, 0, count);
            return;
        }

        Parallel.For(0, chunks, new ParallelOptions { CancellationToken = cancellationToken }, c =>
            body(c, (int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks)));
    }
}
