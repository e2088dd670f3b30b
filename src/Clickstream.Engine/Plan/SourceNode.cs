using Clickstream.Engine.Execution;
using Clickstream.Engine.Sources;

namespace Clickstream.Engine.Plan;

/// <summary>The leaf of a plan: rows read from a source for the batch's offset range.</summary>
/// <typeparam name="T">The row type.</typeparam>
public sealed class SourceNode<T> : DataStream<T>, ISourceNode
{
    internal SourceNode(IStreamSource<T> source)
        : base(source.Description, null) => Source = source;

    /// <summary>The source definition.</summary>
    public IStreamSource<T> Source { get; }

    string ISourceNode.Description => Source.Description;

    // A source's runtime needs its checkpoint folder, so the query creates it through ISourceNode instead.
    internal override NodeRuntime CreateRuntime(QueryRuntime query) =>
        throw new InvalidOperationException("a source's runtime is created with its reader (ISourceNode.CreateSourceRuntime)");

    ISourceRuntime ISourceNode.CreateSourceRuntime(SourceContext context) => new Runtime(this) { Reader = Source.CreateReader(context) };

    internal sealed class Runtime(SourceNode<T> node) : NodeRuntime<T>(node), ISourceRuntime
    {
        private IReadOnlyList<ISourceSplit<T>> _splits = [];
        private List<T>?[] _read = [];

        public IStreamSourceReader<T>? Reader { get; init; }

        public long RowsRead { get; private set; }

        public IReadOnlyDictionary<string, string>? Metrics => Reader is ISourceMetrics m ? new Dictionary<string, string>(m.Metrics, StringComparer.Ordinal) : null;

        public string? LatestOffset(string? start) => Reader!.LatestOffset(start);

        public void Commit(string end) => Reader!.Commit(end);

        public void Freeze() => Reader!.FreezeAvailableData();

        public int Plan(string? start, string? end)
        {
            _splits = end is null || end == start ? [] : Reader!.PlanSplits(start, end);
            _read = new List<T>?[_splits.Count];
            return _splits.Count;
        }

        public void ReadSplit(int index, CancellationToken cancellationToken)
        {
            var rows = new List<T>();
            _splits[index].Read(rows, cancellationToken);
            _read[index] = rows;
        }

        public long SplitBytes(int index) => _splits[index].EstimatedBytes;

        public override List<T> Compute(BatchExecution batch)
        {
            var total = 0;
            foreach (var part in _read)
            {
                total += part?.Count ?? 0;
            }

            var rows = new List<T>(total);
            foreach (var part in _read)
            {
                if (part is not null)
                {
                    rows.AddRange(part);
                }
            }

            RowsRead = rows.Count;
            _read = [];
            return rows;
        }

        public void Dispose() => Reader?.Dispose();
    }
}
