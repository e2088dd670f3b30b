using System.Diagnostics;
using System.Globalization;
using Clickstream.Engine.Checkpointing;

namespace Clickstream.Engine.Execution;

/// <summary>
/// Runs a <see cref="QueryDefinition"/> as micro-batches with Spark Structured Streaming's semantics
/// (streaming-semantics.md §1, §8): plan the batch → write <c>offsets/N</c> → execute and deliver to the sinks
/// → commit state version N+1 → write <c>commits/N</c> with the next watermark. On start it recovers from the
/// checkpoint: an uncommitted last batch is re-run with the same offsets, timestamp, watermark and id.
/// Not thread-safe: one driver thread calls it. After a failure the instance is dead; start a new one.
/// </summary>
public sealed class StreamingQuery : IDisposable
{
    private const string PartitionsConf = "spark.sql.shuffle.partitions";
    private const string PolicyConf = "spark.sql.streaming.multipleWatermarkPolicy";
    private const string StateFormatConf = "clickstream.stateFormatVersion";

    private readonly QueryDefinition _definition;
    private readonly QueryOptions _options;
    private readonly CheckpointLog _log;
    private readonly QueryRuntime _runtime;
    private readonly Dictionary<string, string> _conf;
    private readonly string?[] _committedOffsets;
    private OffsetSeq? _pendingRerun;
    private long _previousBatchWatermarkMs;
    private bool _executedSinceStart;
    private Exception? _failure;

    private StreamingQuery(QueryDefinition definition, QueryOptions options)
    {
        _definition = definition;
        _options = options;
        _log = new CheckpointLog(options.CheckpointStore
            ?? (options.CheckpointPath is { } path ? new LocalCheckpointStore(path) : throw new ArgumentException("a query needs a checkpoint: set CheckpointPath or CheckpointStore", nameof(options))));
        var latest = _log.LatestOffsetsId();
        var latestOffsets = latest is { } l ? _log.ReadOffsets(l) : null;
        _conf = latestOffsets is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [PartitionsConf] = QueryRuntime.Conf(options.ShufflePartitions),
                [PolicyConf] = options.WatermarkPolicy == WatermarkPolicy.Min ? "min" : "max",
                [StateFormatConf] = "1",
            }
            : new Dictionary<string, string>(latestOffsets.Conf, StringComparer.Ordinal);

        var partitions = int.Parse(_conf.GetValueOrDefault(PartitionsConf, QueryRuntime.Conf(options.ShufflePartitions)), CultureInfo.InvariantCulture);
        var policy = _conf.GetValueOrDefault(PolicyConf, "min") == "max" ? WatermarkPolicy.Max : WatermarkPolicy.Min;
        _runtime = new QueryRuntime(definition, _log, partitions, policy, options.Time);
        _committedOffsets = new string?[_runtime.Sources.Count];
        RunId = Guid.NewGuid().ToString();
        Recover(latest, latestOffsets);
    }

    /// <summary>The query id, stable across restarts (from the checkpoint's <c>metadata</c>).</summary>
    public string Id => _log.QueryId;

    /// <summary>This run's id.</summary>
    public string RunId { get; }

    /// <summary>The id the next batch will get.</summary>
    public long NextBatchId { get; private set; }

    /// <summary>The global watermark the next batch will run with.</summary>
    public long WatermarkMs => _runtime.Watermarks.GlobalWatermarkMs;

    /// <summary>The last batch's report.</summary>
    public QueryProgress? LastProgress { get; private set; }

    /// <summary>Starts (or recovers) a query on its checkpoint.</summary>
    public static StreamingQuery Start(QueryDefinition definition, QueryOptions options)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(options);
        if (definition.Sinks.Count == 0)
        {
            throw new InvalidOperationException($"query '{definition.Name}' has no sink");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.ShufflePartitions, 1, nameof(options.ShufflePartitions));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MinBatchesToRetain, 1, nameof(options.MinBatchesToRetain));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SnapshotInterval, 1, nameof(options.SnapshotInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxParallelism, 1, nameof(options.MaxParallelism));

        return new StreamingQuery(definition, options);
    }

    /// <summary>
    /// Runs one batch if there is one to run: a pending re-run, new data, or (when <paramref name="allowNoDataBatch"/>)
    /// a no-data batch some operator needs. Returns false when there was nothing to do.
    /// </summary>
    public bool RunNextBatch(bool allowNoDataBatch = true, CancellationToken cancellationToken = default)
    {
        if (_failure is not null)
        {
            throw new InvalidOperationException("the query failed earlier; start a new instance to recover from the checkpoint", _failure);
        }

        try
        {
            _runtime.Cancellation = cancellationToken;
            return RunNextBatchCore(allowNoDataBatch);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            // Parallel operators wrap the one real failure; report that failure itself.
            _failure = e.InnerExceptions[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
            throw;
        }
        catch (Exception e)
        {
            _failure = e;
            throw;
        }
    }

    /// <summary>
    /// Runs batches until all available data is processed, plus the no-data batches operators need to catch up with
    /// the watermark. An operator that always wants another batch (a processing-time timeout) gets one, not an
    /// endless series: a no-data batch that did not move the watermark ends the run.
    /// </summary>
    public void ProcessAllAvailable(CancellationToken cancellationToken = default) => RunUntilIdle(cancellationToken, cancellationToken);

    /// <summary>
    /// Runs with <paramref name="trigger"/> until it finishes (available-now, once) or <paramref name="cancellationToken"/>
    /// is cancelled. Cancellation stops between batches: a running batch completes and commits, so a stop is clean.
    /// </summary>
    public async Task RunAsync(Trigger trigger, CancellationToken cancellationToken = default)
    {
        switch (trigger)
        {
            case Trigger.OnceTrigger:
                RunNextBatch(allowNoDataBatch: false, CancellationToken.None);
                return;
            case Trigger.AvailableNowTrigger:
                foreach (var (_, source) in _runtime.Sources)
                {
                    source.Freeze();
                }

                RunUntilIdle(CancellationToken.None, cancellationToken);
                return;
            case Trigger.ProcessingTimeTrigger pt:
                while (!cancellationToken.IsCancellationRequested)
                {
                    var start = _options.Time.GetTimestamp();
                    RunNextBatch(allowNoDataBatch: true, CancellationToken.None);
                    var wait = pt.Interval - _options.Time.GetElapsedTime(start);
                    if (wait > TimeSpan.Zero)
                    {
                        try
                        {
                            await Task.Delay(wait, _options.Time, cancellationToken).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException)
                        {
                            return;
                        }
                    }
                }

                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(trigger), trigger, "unknown trigger");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _runtime.Dispose();

    /// <summary>Batches until idle; <paramref name="stop"/> is checked between batches, <paramref name="batchToken"/> inside them.</summary>
    private void RunUntilIdle(CancellationToken batchToken, CancellationToken stop)
    {
        var lastWasNoData = false;
        var watermark = WatermarkMs;
        while (!stop.IsCancellationRequested && RunNextBatch(allowNoDataBatch: !lastWasNoData || WatermarkMs != watermark, batchToken))
        {
            lastWasNoData = LastProgress is { IsNoDataBatch: true };
            watermark = LastProgress?.BatchWatermarkMs ?? watermark;
        }
    }

    private void Recover(long? latest, OffsetSeq? latestOffsets)
    {
        if (latest is not { } l || latestOffsets is null)
        {
            NextBatchId = 0;
            return;
        }

        var committed = _log.LatestCommitId();
        if (committed == l)
        {
            // Batch L finished: continue with L+1 from its end offsets.
            NextBatchId = l + 1;
            CopyOffsets(latestOffsets);
            _runtime.Watermarks.Restore(Math.Max(latestOffsets.BatchWatermarkMs, _log.ReadCommitWatermark(l)));
            _previousBatchWatermarkMs = latestOffsets.BatchWatermarkMs;
        }
        else
        {
            // Planned but not committed: re-run L exactly as planned.
            NextBatchId = l;
            if (l > 0)
            {
                var before = _log.ReadOffsets(l - 1);
                CopyOffsets(before);
                _previousBatchWatermarkMs = before.BatchWatermarkMs;
            }

            _runtime.Watermarks.Restore(latestOffsets.BatchWatermarkMs);
            _pendingRerun = latestOffsets;
        }

        foreach (var op in _runtime.Stateful)
        {
            op.Load(_log, NextBatchId);
        }
    }

    private void CopyOffsets(OffsetSeq seq)
    {
        for (var i = 0; i < _committedOffsets.Length; i++)
        {
            _committedOffsets[i] = i < seq.SourceOffsets.Count ? seq.SourceOffsets[i] : null;
        }
    }

    private bool RunNextBatchCore(bool allowNoDataBatch)
    {
        var trigger = Stopwatch.StartNew();
        var durations = new Dictionary<string, long>(StringComparer.Ordinal);
        var batchId = NextBatchId;
        OffsetSeq seq;
        string?[] latestOffsets;
        if (_pendingRerun is { } rerun)
        {
            seq = rerun;
            latestOffsets = [.. rerun.SourceOffsets];
            _pendingRerun = null;
        }
        else
        {
            latestOffsets = new string?[_committedOffsets.Length];
            var hasData = false;
            for (var i = 0; i < latestOffsets.Length; i++)
            {
                latestOffsets[i] = _runtime.Sources[i].Runtime.LatestOffset(_committedOffsets[i]);
                hasData |= latestOffsets[i] != _committedOffsets[i];
            }

            durations["latestOffset"] = trigger.ElapsedMilliseconds;
            if (!hasData && !(allowNoDataBatch && _options.NoDataMicroBatches && _executedSinceStart && NeedsNoDataBatch()))
            {
                return false;
            }

            seq = new OffsetSeq(WatermarkMs, _options.Time.GetUtcNow().ToUnixTimeMilliseconds(), _conf, latestOffsets);
            var wal = Stopwatch.StartNew();
            _log.WriteOffsets(batchId, seq);
            durations["walCommit"] = wal.ElapsedMilliseconds;
        }

        var isDataBatch = false;
        for (var i = 0; i < latestOffsets.Length; i++)
        {
            isDataBatch |= latestOffsets[i] != _committedOffsets[i];
        }

        ExecuteBatch(batchId, seq, latestOffsets, isDataBatch, durations, trigger);
        return true;
    }

    private bool NeedsNoDataBatch()
    {
        foreach (var op in _runtime.Stateful)
        {
            if (op.ShouldRunAnotherBatch(WatermarkMs))
            {
                return true;
            }
        }

        return false;
    }

    private void ExecuteBatch(long batchId, OffsetSeq seq, string?[] endOffsets, bool isDataBatch, Dictionary<string, long> durations, Stopwatch trigger)
    {
        var watermarks = _runtime.Watermarks;
        watermarks.ResetBatchStats();

        // Read every split of every source in parallel; results keep split order.
        var read = Stopwatch.StartNew();
        var work = new List<(int Source, int Split, long Bytes)>();
        for (var i = 0; i < _runtime.Sources.Count; i++)
        {
            var n = _runtime.Sources[i].Runtime.Plan(_committedOffsets[i], endOffsets[i]);
            for (var s = 0; s < n; s++)
            {
                work.Add((i, s, _runtime.Sources[i].Runtime.SplitBytes(s)));
            }
        }

        work.Sort((a, b) => b.Bytes.CompareTo(a.Bytes));
        Parallel.ForEach(
            work,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelism, CancellationToken = _runtime.Cancellation },
            w => _runtime.Sources[w.Source].Runtime.ReadSplit(w.Split, _runtime.Cancellation));
        durations["getBatch"] = read.ElapsedMilliseconds;

        var lateWatermark = _options.SeparateLateWatermark ? _previousBatchWatermarkMs : seq.BatchWatermarkMs;
        var batch = new BatchExecution(_runtime, batchId, seq.BatchTimestampMs, seq.BatchWatermarkMs, lateWatermark, isDataBatch);
        var add = Stopwatch.StartNew();
        var deliveries = new List<Action>();
        long outputRows = 0;
        foreach (var sink in _definition.Sinks)
        {
            var (rows, deliver) = sink.Prepare(batch, batchId);
            outputRows += rows;
            deliveries.Add(deliver);
        }

        // State version N+1 is written while the sinks take batch N; both finish before commits/N. A crash
        // before commits/N re-runs N from version N, and sinks are idempotent per batch id, so the order of the
        // two does not matter — running them together hides the state write behind the sink's.
        var snapshot = (batchId + 1) % _options.SnapshotInterval == 0;
        var stateCommit = Task.Run(() =>
        {
            var started = Stopwatch.GetTimestamp();
            foreach (var op in _runtime.Stateful)
            {
                op.Commit(_log, batchId + 1, snapshot, _options.MinBatchesToRetain);
            }

            return (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        });
        Exception? sinkFailure = null;
        try
        {
            foreach (var deliver in deliveries)
            {
                deliver();
            }
        }
        catch (Exception e)
        {
            sinkFailure = e;
        }

        // Never leave the state write running behind a failed sink; if both fail, the sink's error is the one reported.
        try
        {
            durations["stateCommit"] = stateCommit.GetAwaiter().GetResult();
        }
        catch (Exception) when (sinkFailure is not null)
        {
        }

        if (sinkFailure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(sinkFailure);
        }

        durations["addBatch"] = add.ElapsedMilliseconds;

        var commit = Stopwatch.StartNew();
        var eventStats = watermarks.CombinedStats();
        watermarks.UpdateAfterBatch();
        _log.WriteCommit(batchId, watermarks.GlobalWatermarkMs);
        var startOffsets = (string?[])_committedOffsets.Clone();
        for (var i = 0; i < endOffsets.Length; i++)
        {
            if (endOffsets[i] is { } end)
            {
                _runtime.Sources[i].Runtime.Commit(end);
            }

            _committedOffsets[i] = endOffsets[i];
        }

        if (batchId >= _options.MinBatchesToRetain && batchId % 10 == 0)
        {
            _log.Purge(batchId - _options.MinBatchesToRetain + 1);
        }

        durations["commitOffsets"] = commit.ElapsedMilliseconds;
        durations["triggerExecution"] = trigger.ElapsedMilliseconds;
        _previousBatchWatermarkMs = seq.BatchWatermarkMs;
        _executedSinceStart = true;
        NextBatchId = batchId + 1;
        Report(batchId, seq, startOffsets, endOffsets, isDataBatch, eventStats, durations, outputRows, trigger.ElapsedMilliseconds);
    }

    private void Report(long batchId, OffsetSeq seq, string?[] start, string?[] end, bool isDataBatch, WatermarkStats? stats, Dictionary<string, long> durations, long outputRows, long elapsedMs)
    {
        long inputRows = 0;
        var sources = new List<SourceProgress>();
        for (var i = 0; i < _runtime.Sources.Count; i++)
        {
            var (node, runtime) = _runtime.Sources[i];
            var rows = isDataBatch ? runtime.RowsRead : 0;
            inputRows += rows;
            sources.Add(new SourceProgress(node.Description, start[i], end[i], end[i], rows) { Metrics = runtime.Metrics });
        }

        var eventTime = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_runtime.Watermarks.HasWatermarkNodes)
        {
            if (stats is not null)
            {
                eventTime["avg"] = QueryProgress.FormatMs((long)Math.Round(stats.SumMs / stats.Count));
                eventTime["max"] = QueryProgress.FormatMs(stats.MaxMs);
                eventTime["min"] = QueryProgress.FormatMs(stats.MinMs);
            }

            eventTime["watermark"] = QueryProgress.FormatMs(seq.BatchWatermarkMs);
        }

        var operators = new List<OperatorProgress>();
        foreach (var op in _runtime.Stateful)
        {
            operators.Add(op.LastProgress);
        }

        var seconds = Math.Max(elapsedMs, 1) / 1000.0;
        var sinks = string.Join(", ", _definition.Sinks.Select(s => s.Description));
        var progress = new QueryProgress
        {
            Id = Id,
            RunId = RunId,
            Name = _definition.Name,
            Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(seq.BatchTimestampMs),
            BatchId = batchId,
            BatchDuration = elapsedMs,
            NumInputRows = inputRows,
            InputRowsPerSecond = inputRows / seconds,
            ProcessedRowsPerSecond = inputRows / seconds,
            DurationMs = durations,
            EventTime = eventTime,
            StateOperators = operators,
            Sources = sources,
            SinkDescription = sinks,
            SinkOutputRows = outputRows,
            IsNoDataBatch = !isDataBatch,
            BatchWatermarkMs = seq.BatchWatermarkMs,
        };
        LastProgress = progress;
        _log.AppendProgress(progress.ToJson());
        _options.OnProgress?.Invoke(progress);
    }
}
