using System.Globalization;

namespace Clickstream.Engine.Sources;

/// <summary>
/// An in-memory, replayable source for tests and examples (like Spark's MemoryStream): rows are appended with
/// <see cref="AddData"/>; the offset is the number of rows added so far.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
public sealed class MemorySource<T> : IStreamSource<T>
{
    private readonly List<T> _rows = [];
    private readonly Lock _gate = new();

    /// <summary>Creates an empty source.</summary>
    public MemorySource(string name = "memory") => Description = $"MemoryStream[{name}]";

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>Appends rows; they become visible to the next batch.</summary>
    public void AddData(params IEnumerable<T> rows)
    {
        lock (_gate)
        {
            _rows.AddRange(rows);
        }
    }

    /// <inheritdoc />
    public IStreamSourceReader<T> CreateReader(SourceContext context) => new Reader(this);

    private sealed class Reader(MemorySource<T> owner) : IStreamSourceReader<T>
    {
        private long _frozenAt = -1;

        public string? LatestOffset(string? start)
        {
            long count;
            lock (owner._gate)
            {
                count = owner._rows.Count;
            }

            if (_frozenAt >= 0)
            {
                count = Math.Min(count, _frozenAt);
            }

            return count == 0 ? start : count.ToString(CultureInfo.InvariantCulture);
        }

        public IReadOnlyList<ISourceSplit<T>> PlanSplits(string? start, string end)
        {
            var from = start is null ? 0 : int.Parse(start, CultureInfo.InvariantCulture);
            var to = int.Parse(end, CultureInfo.InvariantCulture);
            T[] slice;
            lock (owner._gate)
            {
                slice = owner._rows.GetRange(from, to - from).ToArray();
            }

            return [new Split($"memory[{from}..{to})", slice)];
        }

        public void Commit(string end)
        {
        }

        public void FreezeAvailableData()
        {
            lock (owner._gate)
            {
                _frozenAt = owner._rows.Count;
            }
        }

        public void Dispose()
        {
        }
    }

    private sealed class Split(string id, T[] rows) : ISourceSplit<T>
    {
        public string Id => id;

        public long EstimatedBytes => rows.Length;

        public void Read(List<T> output, CancellationToken cancellationToken) => output.AddRange(rows);
    }
}
