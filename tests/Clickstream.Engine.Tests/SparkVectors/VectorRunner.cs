using System.Globalization;
using System.Text.Json;
using Clickstream.Engine.Execution;

namespace Clickstream.Engine.Tests.SparkVectors;

/// <summary>Plays a vector's steps against the engine and checks each step's expectations.</summary>
internal sealed class VectorRunner : IDisposable
{
    private readonly JsonElement _vector;
    private readonly VectorQuery _query;
    private readonly string _checkpoint = Path.Combine(Path.GetTempPath(), "clickstream-vector-" + Guid.NewGuid().ToString("N"));
    private readonly ManualClock _clock = new();
    private readonly List<QueryProgress> _progress = [];
    private readonly string _triggerModel;
    private readonly QueryOptions _options;
    private StreamingQuery? _running;
    private int _sinkMark;

    public VectorRunner(JsonElement vector)
    {
        _vector = vector;
        _query = new VectorQuery(vector);
        var config = vector.GetProperty("config");
        _triggerModel = config.GetProperty("triggerModel").GetString()!;
        _options = new QueryOptions
        {
            CheckpointPath = _checkpoint,
            ShufflePartitions = 3,
            NoDataMicroBatches = !config.TryGetProperty("noDataMicroBatches", out var nd) || nd.GetBoolean(),
            SeparateLateWatermark = !config.TryGetProperty("statefulOperatorAllowMultiple", out var am) || am.GetBoolean(),
            WatermarkPolicy = config.TryGetProperty("multipleWatermarkPolicy", out var p) && p.GetString() == "max" ? WatermarkPolicy.Max : WatermarkPolicy.Min,
            Time = _clock,
            OnProgress = _progress.Add,
        };
    }

    private string Id => _vector.GetProperty("id").GetString()!;

    public void Run()
    {
        _running = StreamingQuery.Start(_query.Definition, _options);
        var index = 0;
        foreach (var step in _vector.GetProperty("steps").EnumerateArray())
        {
            RunStep(step, index++);
        }
    }

    public void Dispose()
    {
        _running?.Dispose();
        if (Directory.Exists(_checkpoint))
        {
            Directory.Delete(_checkpoint, recursive: true);
        }
    }

    private void RunStep(JsonElement step, int index)
    {
        var action = step.GetProperty("action").GetString();
        var where = $"{Id} step {index} ({action})";
        var expected = step.TryGetProperty("expected", out var e) ? e : default;
        var check = expected.ValueKind == JsonValueKind.Object ? expected.GetProperty("check").GetString() : "none";
        if (step.TryGetProperty("advanceClockToMs", out var clock))
        {
            _clock.NowMs = clock.GetInt64();
        }

        var progressMark = _progress.Count;
        _sinkMark = _query.Delivered.Count;
        Exception? failure = null;
        try
        {
            switch (action)
            {
                case "addData":
                    AddData(step);
                    break;
                case "stop":
                    Stop();
                    break;
                case "start":
                case "restart":
                    Stop();
                    _running = StreamingQuery.Start(_query.Definition, _options);
                    if (check is not "none")
                    {
                        Trigger();
                    }

                    break;
                case "stopAndRestart":
                    Stop();
                    _running = StreamingQuery.Start(_query.Definition, _options);
                    break;
                case "clearSink":
                    _query.Delivered.Clear();
                    _sinkMark = 0;
                    break;
                case "purgeCommitLog":
                    PurgeCommits(step.GetProperty("purgeBeforeBatchId"));
                    break;
                case "advanceClock":
                    break;
                case "probe":
                case "none":
                    break;
                default:
                    throw new NotSupportedException($"{where}: unknown step action '{action}'");
            }
        }
        catch (Exception ex) when (check == "queryFails" && ex is not NotSupportedException)
        {
            failure = ex;
        }

        if (check == "queryFails")
        {
            Assert.True(failure is not null, $"{where}: the query should have failed");
        }
        else if (check is not "none" and not null)
        {
            CheckRows(where, check, expected);
        }

        if (expected.ValueKind == JsonValueKind.Object && expected.TryGetProperty("metrics", out var metrics))
        {
            CheckMetrics(where, metrics, _progress.Skip(progressMark).ToList());
        }

        if (step.TryGetProperty("watermarkAfterStepMs", out var wm) && _running is not null)
        {
            Assert.True(wm.GetInt64() == _running.WatermarkMs, $"{where}: watermark after step: expected {wm.GetInt64()}, got {_running.WatermarkMs}");
        }

        if (step.TryGetProperty("probe", out var probe))
        {
            RunProbe(where, probe);
        }
    }

    private void AddData(JsonElement step)
    {
        var data = step.GetProperty("data");
        var sameBatch = step.TryGetProperty("sameBatch", out var sb) && sb.GetBoolean();
        var sources = data.EnumerateObject().ToList();
        foreach (var source in sources)
        {
            _query.Source(source.Name).AddData(source.Value.EnumerateArray().Select(r => _query.ConvertRow(source.Name, r)).ToList());
            if (!sameBatch && sources.Count > 1)
            {
                Trigger();
            }
        }

        if (sameBatch || sources.Count <= 1)
        {
            Trigger();
        }
    }

    private void Trigger()
    {
        var query = _running ?? throw new InvalidOperationException("the query is stopped");
        switch (_triggerModel)
        {
            case "runUntilIdle":
            case "processingTime10sManualClock":
                query.ProcessAllAvailable();
                break;
            case "oneBatchPerStep":
            case "oneDataBatchPerTrigger":
                query.RunNextBatch(allowNoDataBatch: false);
                break;
            default:
                throw new NotSupportedException($"trigger model '{_triggerModel}'");
        }
    }

    private void Stop()
    {
        _running?.Dispose();
        _running = null;
    }

    private void PurgeCommits(JsonElement before)
    {
        var commits = Path.Combine(_checkpoint, "commits");
        var ids = Directory.EnumerateFiles(commits).Select(f => long.TryParse(Path.GetFileName(f), out var id) ? id : -1).Where(i => i >= 0).ToList();
        var limit = before.ValueKind == JsonValueKind.Number ? before.GetInt64() : ids.Max();
        foreach (var id in ids.Where(i => i < limit))
        {
            File.Delete(Path.Combine(commits, id.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private void CheckRows(string where, string? check, JsonElement expected)
    {
        var delivered = _query.Delivered;
        IEnumerable<object?[]> actual = check switch
        {
            "newRows" => delivered.Skip(_sinkMark).SelectMany(d => d.Rows),
            "allRows" => delivered.SelectMany(d => d.Rows),
            "resultTable" or "lastBatchRows" => delivered.Count == 0 ? [] : delivered[^1].Rows,
            "foreachBatch" => delivered.Where(d => d.BatchId == expected.GetProperty("batchId").GetInt64()).SelectMany(d => d.Rows),
            _ => throw new NotSupportedException($"{where}: unknown check '{check}'"),
        };
        if (check == "foreachBatch")
        {
            Assert.True(delivered.Any(d => d.BatchId == expected.GetProperty("batchId").GetInt64()), $"{where}: no foreachBatch call for batch {expected.GetProperty("batchId")}");
        }

        var want = VectorValues.CanonicalRows(expected.GetProperty("rows"));
        var got = VectorValues.CanonicalRows(actual);
        Assert.True(want.SequenceEqual(got), $"{where}: {check}\n expected: {string.Join(" ", want)}\n actual:   {string.Join(" ", got)}");
    }

    private static void CheckMetrics(string where, JsonElement metrics, List<QueryProgress> batches)
    {
        foreach (var metric in metrics.EnumerateObject())
        {
            switch (metric.Name)
            {
                case "stateRowsTotal":
                    Compare(where, metric, batches.Count == 0 ? [] : batches[^1].StateOperators.Select(o => o.NumRowsTotal).ToList());
                    break;
                case "stateRowsUpdated":
                    Compare(where, metric, SumPerOperator(batches, o => o.NumRowsUpdated));
                    break;
                case "rowsDroppedByWatermark":
                    Compare(where, metric, SumPerOperator(batches, o => o.NumRowsDroppedByWatermark));
                    break;
                case "eventTime":
                    var last = batches.LastOrDefault(b => b.NumInputRows > 0) ?? throw new InvalidOperationException($"{where}: no batch with input");
                    foreach (var field in metric.Value.EnumerateObject())
                    {
                        Assert.True(last.EventTime.TryGetValue(field.Name, out var value), $"{where}: progress has no eventTime.{field.Name}");
                        Assert.True(
                            VectorValues.ParseIsoMicros(field.Value.GetString()!) == VectorValues.ParseIsoMicros(value),
                            $"{where}: eventTime.{field.Name} expected {field.Value.GetString()}, got {value}");
                    }

                    break;
                default:
                    throw new NotSupportedException($"{where}: unknown metric '{metric.Name}'");
            }
        }
    }

    private static List<long> SumPerOperator(List<QueryProgress> batches, Func<OperatorProgress, long> value)
    {
        var sums = new List<long>();
        foreach (var b in batches)
        {
            for (var i = 0; i < b.StateOperators.Count; i++)
            {
                if (sums.Count <= i)
                {
                    sums.Add(0);
                }

                sums[i] += value(b.StateOperators[i]);
            }
        }

        return sums;
    }

    private static void Compare(string where, JsonProperty metric, List<long> perOperator)
    {
        var expected = metric.Value.ValueKind == JsonValueKind.Array
            ? metric.Value.EnumerateArray().Select(e => e.GetInt64()).ToList()
            : [metric.Value.GetInt64()];
        var actual = perOperator.Count == 0 ? [0L] : perOperator;
        if (expected.Count == 1 && actual.Count > 1)
        {
            actual = [actual.Sum()];
        }

        Assert.True(expected.SequenceEqual(actual), $"{where}: {metric.Name} expected [{string.Join(",", expected)}], got [{string.Join(",", actual)}]");
    }

    private void RunProbe(string where, JsonElement probe)
    {
        var mark = _progress.Count;
        foreach (var source in probe.GetProperty("data").EnumerateObject())
        {
            _query.Source(source.Name).AddData(source.Value.EnumerateArray().Select(r => _query.ConvertRow(source.Name, r)).ToList());
        }

        Trigger();
        var batch = _progress.Skip(mark).FirstOrDefault(p => !p.IsNoDataBatch) ?? throw new InvalidOperationException($"{where}: the probe ran no batch");
        var want = probe.GetProperty("expectedProbeBatchWatermarkMs").GetInt64();
        Assert.True(want == batch.BatchWatermarkMs, $"{where}: probe batch watermark expected {want}, got {batch.BatchWatermarkMs}");
    }
}
