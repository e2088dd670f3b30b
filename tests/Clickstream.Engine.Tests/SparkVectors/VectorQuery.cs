using System.Text.Json;
using System.Text.RegularExpressions;
using Clickstream.Engine.Execution;
using Clickstream.Engine.Plan;
using Clickstream.Engine.Sources;
using Clickstream.Engine.State;
using Clickstream.Engine.Time;
using Clickstream.Engine.Windows;
using Row = object?[];

namespace Clickstream.Engine.Tests.SparkVectors;

/// <summary>
/// Turns a vector's <c>sources</c> and <c>query</c> into an engine query over rows of values. The pipeline text
/// is human-readable, so the few stateless steps the vectors use (timestamp_seconds, splitting lines into words,
/// <c>col % n</c>, an injected failure, a filter on <c>current_timestamp()</c>) are recognised from it; any
/// operator type or user function the harness does not know fails the test.
/// </summary>
internal sealed partial class VectorQuery
{
    private readonly JsonElement _query;
    private readonly Dictionary<string, SourceInfo> _sources = new(StringComparer.Ordinal);
    private readonly string _pipeline;

    public VectorQuery(JsonElement vector)
    {
        _query = vector.GetProperty("query");
        _pipeline = _query.TryGetProperty("pipeline", out var p) ? p.GetString() ?? string.Empty : string.Empty;
        OutputColumns = [.. _query.GetProperty("outputColumns").EnumerateArray().Select(e => e.GetString()!)];
        Mode = _query.TryGetProperty("outputMode", out var m) ? ParseMode(m.GetString()!) : OutputMode.Append;
        foreach (var src in vector.GetProperty("sources").EnumerateObject())
        {
            _sources[src.Name] = new SourceInfo(src.Name, src.Value, this);
        }

        Definition = Build();
    }

    public QueryDefinition Definition { get; }

    public List<string> OutputColumns { get; }

    public OutputMode Mode { get; }

    /// <summary>Rows delivered to the sink: (batch id, rows).</summary>
    public List<(long BatchId, List<Row> Rows)> Delivered { get; } = [];

    /// <summary>Set once the injected failure has fired (it survives restarts, like Spark's test flag).</summary>
    public bool FailureFired { get; set; }

    public MemorySource<Row> Source(string name) =>
        _sources.TryGetValue(name, out var s) ? s.Memory : throw new InvalidOperationException($"the vector has no source '{name}'");

    public Row ConvertRow(string source, JsonElement row) => _sources[source].Convert(row);

    private static OutputMode ParseMode(string s) => s switch
    {
        "append" => OutputMode.Append,
        "update" => OutputMode.Update,
        "complete" => OutputMode.Complete,
        _ => throw new NotSupportedException($"output mode '{s}'"),
    };

    private JsonElement Operator => _query.GetProperty("operator");

    private long? WatermarkDelay => _query.TryGetProperty("watermark", out var w) && w.ValueKind == JsonValueKind.Object
        ? w.TryGetProperty("delayMs", out var d) ? d.GetInt64() : IntervalParser.ParseMilliseconds(w.GetProperty("delay").GetString()!)
        : null;

    private string? WatermarkColumn => _query.TryGetProperty("watermark", out var w) && w.ValueKind == JsonValueKind.Object
        ? w.GetProperty("column").GetString() : null;

    private QueryDefinition Build()
    {
        var schemaStreams = new List<(List<string> Schema, DataStream<Row> Stream)>();
        foreach (var src in _sources.Values)
        {
            schemaStreams.Add(src.BuildStream());
        }

        var (schema, stream) = schemaStreams[0];
        if (schemaStreams.Count > 1)
        {
            stream = stream.Union([.. schemaStreams.Skip(1).Select(s => s.Stream)]);
        }

        stream = ApplyStatelessSteps(ref schema, stream);
        var output = BuildOperator(schema, stream);
        output = ApplyCurrentTimestampFilter(output);
        return new QueryDefinition("vector")
            .ForeachBatch(output, (id, rows) => Delivered.Add((id, [.. rows])));
    }

    private DataStream<Row> ApplyStatelessSteps(ref List<string> schema, DataStream<Row> stream)
    {
        var s = schema;

        // explode(split(line, ' ')) as <col>: a grouping column the source lacks, taken from the words of `line`.
        var needed = GroupColumns().Where(c => !s.Contains(c)).ToList();
        var lineIndex = s.IndexOf("line");
        if (needed.Count == 1 && lineIndex >= 0)
        {
            var newSchema = new List<string>(s) { [lineIndex] = needed[0] };
            stream = stream.FlatMap<Row>((row, output) =>
            {
                foreach (var word in ((string)row[lineIndex]!).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var copy = (Row)row.Clone();
                    copy[lineIndex] = word;
                    output.Add(copy);
                }
            }, stream.EventTimeMicros, "explode");
            schema = s = newSchema;
        }

        // select(col % n as name)
        var mod = ModuloRegex().Match(_pipeline);
        if (mod.Success)
        {
            var from = s.IndexOf(mod.Groups[1].Value);
            var n = long.Parse(mod.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            stream = stream.Select<Row>(row => [.. row, (long)row[from]! % n], stream.EventTimeMicros);
            schema = s = [.. s, mod.Groups[3].Value];
        }

        // map(i => if (i == k && firstTime) fail else i)
        var fail = FailureRegex().Match(_pipeline);
        if (fail.Success)
        {
            var k = long.Parse(fail.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            var col = s.IndexOf("value") is var v and >= 0 ? v : 0;
            stream = stream.Select<Row>(row =>
            {
                if ((long)row[col]! == k && !FailureFired)
                {
                    FailureFired = true;
                    throw new InvalidOperationException("injected failure");
                }

                return row;
            }, stream.EventTimeMicros);
        }

        return stream;
    }

    private DataStream<Row> ApplyCurrentTimestampFilter(DataStream<Row> output)
    {
        var m = CurrentTimestampRegex().Match(_pipeline);
        if (!m.Success)
        {
            return output;
        }

        var col = OutputColumns.IndexOf(m.Groups[1].Value);
        var minus = long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        return output.FlatMapWithBatch<Row>((row, batch, o) =>
        {
            if ((long)row[col]! >= (batch.BatchTimestampMs / 1000) - minus)
            {
                o.Add(row);
            }
        });
    }

    private IEnumerable<string> GroupColumns()
    {
        var op = Operator;
        foreach (var name in new[] { "groupBy", "keys" })
        {
            if (op.TryGetProperty(name, out var arr))
            {
                foreach (var c in arr.EnumerateArray())
                {
                    yield return c.GetString()!;
                }
            }
        }
    }

    private DataStream<Row> BuildOperator(List<string> schema, DataStream<Row> stream)
    {
        var op = Operator;
        var type = op.GetProperty("type").GetString();
        var eventTimeColumn = EventTimeName(schema);
        int Col(string c) => schema.IndexOf(c) is var i and >= 0 ? i : throw new NotSupportedException($"column '{c}' is not in [{string.Join(", ", schema)}]");
        Func<Row, long>? time = eventTimeColumn is null ? null : EventTimeAccessor(Col(eventTimeColumn));

        switch (type)
        {
            case "windowAggregate":
                {
                    var window = new WindowSpec(
                        IntervalParser.ParseMilliseconds(op.GetProperty("windowDuration").GetString()!) * 1000,
                        IntervalParser.ParseMilliseconds(op.GetProperty("slideDuration").GetString()!) * 1000,
                        op.TryGetProperty("startTime", out var st) ? IntervalParser.ParseMilliseconds(st.GetString()!) * 1000 : 0);
                    var groups = GroupIndexes(op, Col);
                    var (fn, _) = AggregateFunction(op, Col);
                    return stream.WindowAggregate(
                        window,
                        row => groups.Select(g => row[g]).ToArray(),
                        RowKeyCodec.Instance,
                        fn,
                        ValueCodecs.Int64,
                        (w, g, value) => Project(new Dictionary<string, object?>
                        {
                            ["windowStart"] = new VectorValues.Timestamp(w.StartMicros),
                            ["windowEnd"] = new VectorValues.Timestamp(w.EndMicros),
                            ["__agg"] = value,
                        }, groups.Select(i => schema[i]).ToList(), g),
                        Mode,
                        time);
                }

            case "sessionWindowAggregate":
                {
                    var gap = TimeSpan.FromMilliseconds(IntervalParser.ParseMilliseconds(op.GetProperty("gap").GetString()!));
                    var groups = GroupIndexes(op, Col);
                    var (fn, _) = AggregateFunction(op, Col);
                    return stream.SessionWindowAggregate(
                        gap,
                        row => groups.Select(g => row[g]).ToArray(),
                        RowKeyCodec.Instance,
                        fn,
                        ValueCodecs.Int64,
                        (w, g, value) => Project(new Dictionary<string, object?>
                        {
                            ["start"] = new VectorValues.Timestamp(w.StartMicros),
                            ["end"] = new VectorValues.Timestamp(w.EndMicros),
                            ["duration"] = new VectorValues.Timestamp(w.EndMicros - w.StartMicros),
                            ["__agg"] = value,
                        }, groups.Select(i => schema[i]).ToList(), g),
                        Mode,
                        time);
                }

            case "keyedAggregate":
            case "globalAggregate":
                {
                    var groups = type == "globalAggregate" ? [] : GroupIndexes(op, Col);
                    var (fn, _) = AggregateFunction(op, Col);
                    var keyTimeIndex = eventTimeColumn is null ? -1 : Array.IndexOf(groups, Col(eventTimeColumn));
                    var spec = new AggregationSpec<Row, Row, long, Row>(
                        (row, keys) => keys.Add(groups.Select(g => row[g]).ToArray()),
                        RowKeyCodec.Instance,
                        fn,
                        ValueCodecs.Int64,
                        (k, value) => Project(new Dictionary<string, object?> { ["__agg"] = value }, groups.Select(i => schema[i]).ToList(), k),
                        Mode,
                        keyTimeIndex >= 0 ? k => (long)k[keyTimeIndex]! : null,
                        type);
                    return stream.Aggregate(spec);
                }

            case "dropDuplicates":
            case "dropDuplicatesWithinWatermark":
                {
                    var keys = op.TryGetProperty("keys", out var ks) && ks.GetArrayLength() > 0
                        ? ks.EnumerateArray().Select(k => Col(k.GetString()!)).ToArray()
                        : Enumerable.Range(0, schema.Count).ToArray();
                    var keyTime = eventTimeColumn is null ? -1 : Array.IndexOf(keys, Col(eventTimeColumn));
                    DataStream<Row> deduped = type == "dropDuplicates"
                        ? stream.DropDuplicates(row => keys.Select(k => row[k]).ToArray(), RowKeyCodec.Instance, keyTime >= 0 ? k => (long)k[keyTime]! : null)
                        : stream.DropDuplicatesWithinWatermark(row => keys.Select(k => row[k]).ToArray(), RowKeyCodec.Instance);
                    return deduped.Select(row => ProjectRow(row, schema));
                }

            case "stateless":
                return stream.Select(row => ProjectRow(row, schema));

            case "flatMapGroupsWithState":
                return BuildFlatMapGroupsWithState(op, schema, stream, Col);

            default:
                throw new NotSupportedException($"operator type '{type}' is not supported by the engine harness");
        }
    }

    private DataStream<Row> BuildFlatMapGroupsWithState(JsonElement op, List<string> schema, DataStream<Row> stream, Func<string, int> col)
    {
        var timeout = op.GetProperty("timeout").GetString() switch
        {
            "EventTimeTimeout" => GroupStateTimeout.EventTime,
            "ProcessingTimeTimeout" => GroupStateTimeout.ProcessingTime,
            "NoTimeout" => GroupStateTimeout.None,
            var t => throw new NotSupportedException($"timeout '{t}'"),
        };
        var function = _query.GetProperty("userFunction").GetString() ?? string.Empty;
        var m = MaxEventTimeFunctionRegex().Match(function);
        if (!m.Success)
        {
            throw new NotSupportedException($"flatMapGroupsWithState user function not known to the harness: {function}");
        }

        var plusSeconds = long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var keyName = GroupByKeyRegex().Match(_pipeline) is { Success: true } g ? g.Groups[1].Value : schema[0];
        var keyIndex = col(keyName);
        var timeIndex = col(EventTimeName(schema)!);

        // "max event time seen" per key: emits (key, max seconds); on timeout removes the state and emits (key, -1).
        return stream.FlatMapGroupsWithState<Row, long, Row>(
            row => [row[keyIndex]],
            RowKeyCodec.Instance,
            ValueCodecs.Int64,
            timeout,
            (key, rows, state, output) =>
            {
                if (state.HasTimedOut)
                {
                    state.Remove();
                    output.Add([key[0], -1L]);
                    return;
                }

                var max = state.Exists ? state.Value : 0;
                foreach (var r in rows)
                {
                    max = Math.Max(max, (long)r[timeIndex]! / 1_000_000);
                }

                state.Update(max);
                if (timeout == GroupStateTimeout.EventTime)
                {
                    state.SetTimeoutTimestamp((max + plusSeconds) * 1000);
                }

                output.Add([key[0], max]);
            });
    }

    private int[] GroupIndexes(JsonElement op, Func<string, int> col) =>
        op.TryGetProperty("groupBy", out var g) ? [.. g.EnumerateArray().Select(c => col(c.GetString()!))] : [];

    private static (IAggregateFunction<Row, long> Function, string Name) AggregateFunction(JsonElement op, Func<string, int> col)
    {
        var text = op.TryGetProperty("aggregate", out var a) ? a.GetString()! : "count(*)";
        var sum = SumRegex().Match(text);
        if (text.StartsWith("count(", StringComparison.Ordinal))
        {
            return (Aggregates.Count<Row>(), "count");
        }

        if (sum.Success)
        {
            var i = col(sum.Groups[1].Value);
            return (Aggregates.Sum<Row>(r => (long)r[i]!), "sum");
        }

        throw new NotSupportedException($"aggregate '{text}' is not supported by the harness");
    }

    /// <summary>The output row: each output column resolved against named values, group columns and the aggregate.</summary>
    private Row Project(Dictionary<string, object?> named, List<string> groupNames, Row groupValues)
    {
        for (var i = 0; i < groupNames.Count; i++)
        {
            named[groupNames[i]] = groupNames[i] == EventTimeNameCache ? new VectorValues.Timestamp((long)groupValues[i]!) : groupValues[i];
        }

        return [.. OutputColumns.Select(c => Resolve(c, named, useAggregate: true))];
    }

    private Row ProjectRow(Row row, List<string> schema)
    {
        var named = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < schema.Count; i++)
        {
            named[schema[i]] = schema[i] == EventTimeNameCache ? new VectorValues.Timestamp((long)row[i]!) : row[i];
        }

        return [.. OutputColumns.Select(c => Resolve(c, named, useAggregate: false))];
    }

    private static object? Resolve(string column, Dictionary<string, object?> named, bool useAggregate)
    {
        if (named.TryGetValue(column, out var v))
        {
            return v;
        }

        if (column.EndsWith("Sec", StringComparison.Ordinal))
        {
            var baseName = column[..^3];
            if (named.TryGetValue(baseName, out var t) && t is VectorValues.Timestamp ts)
            {
                return Math.Floor(ts.Micros / 1e6) is var s ? (long)s : 0;
            }

            // A column named after the event time (e.g. eventTimeSec when the event time is derived from `value`).
            foreach (var (_, value) in named)
            {
                if (value is VectorValues.Timestamp only && !useAggregate)
                {
                    return (long)Math.Floor(only.Micros / 1e6);
                }
            }
        }

        if (useAggregate && named.TryGetValue("__agg", out var agg))
        {
            return agg;
        }

        throw new NotSupportedException($"output column '{column}' cannot be resolved from [{string.Join(", ", named.Keys)}]");
    }

    private string? EventTimeNameCache { get; set; }

    private string? EventTimeName(List<string> schema) => EventTimeNameCache ??= _sources.Values.First().EventTimeName;

    private static Func<Row, long> EventTimeAccessor(int index) => row => (long)row[index]!;

    [GeneratedRegex(@"select\((\w+) % (\d+) as (\w+)\)")]
    private static partial Regex ModuloRegex();

    [GeneratedRegex(@"(\w+) == (\d+) && firstTime")]
    private static partial Regex FailureRegex();

    [GeneratedRegex(@"where\((\w+) >= cast\(current_timestamp\(\) as long\) - (\d+)\)")]
    private static partial Regex CurrentTimestampRegex();

    [GeneratedRegex(@"setTimeoutTimestamp\(\(m \+ (\d+)\) \* 1000")]
    private static partial Regex MaxEventTimeFunctionRegex();

    [GeneratedRegex(@"groupByKey\((\w+)\)")]
    private static partial Regex GroupByKeyRegex();

    [GeneratedRegex(@"sum\((\w+)\)")]
    private static partial Regex SumRegex();
}
