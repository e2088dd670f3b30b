using System.Text.Json;
using Clickstream.Engine.Time;
using Clickstream.Engine.Windows;

namespace Clickstream.Engine.Tests.SparkVectors;

/// <summary>
/// Runs every Spark behaviour vector against the engine, one test case per vector id. Session-window vectors
/// (SW-*) are run too when the engine supports the operator; every other operator type must be supported.
/// </summary>
public sealed class SparkVectorTests
{
    public static TheoryData<string> VectorIds()
    {
        var data = new TheoryData<string>();
        foreach (var id in VectorCatalog.Ids)
        {
            data.Add(id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(VectorIds))]
    public void Vector(string id)
    {
        var vector = VectorCatalog.Load(id);
        var config = vector.GetProperty("config");
        if (config.TryGetProperty("kind", out var kind) && kind.GetString() == "windowAssignment")
        {
            RunWindowAssignment(vector);
            return;
        }

        using var runner = new VectorRunner(vector);
        runner.Run();
    }

    private static void RunWindowAssignment(JsonElement vector)
    {
        var op = vector.GetProperty("query").GetProperty("operator");
        var spec = new WindowSpec(
            IntervalParser.ParseMilliseconds(op.GetProperty("windowDuration").GetString()!) * 1000,
            IntervalParser.ParseMilliseconds(op.GetProperty("slideDuration").GetString()!) * 1000,
            op.TryGetProperty("startTime", out var st) ? IntervalParser.ParseMilliseconds(st.GetString()!) * 1000 : 0);
        var input = vector.GetProperty("input");
        var expected = vector.GetProperty("expected");
        var rows = new List<object?[]>();
        Span<TimeWindow> windows = stackalloc TimeWindow[spec.MaxWindowsPerEvent];
        var counts = new Dictionary<TimeWindow, long>();
        foreach (var row in input.GetProperty("rows").EnumerateArray())
        {
            var values = row.EnumerateArray().ToList();
            var micros = VectorValues.ParseIsoMicros(values[0].GetString()!);
            var n = spec.Assign(micros, windows);
            for (var i = 0; i < n; i++)
            {
                var w = windows[i];
                if (op.GetProperty("type").GetString() == "windowProjection")
                {
                    rows.Add([new VectorValues.Timestamp(w.StartMicros), new VectorValues.Timestamp(w.EndMicros), .. values.Skip(1).Select(v => (object?)v)]);
                }
                else
                {
                    counts[w] = counts.GetValueOrDefault(w) + 1;
                }
            }
        }

        foreach (var (w, c) in counts)
        {
            rows.Add([new VectorValues.Timestamp(w.StartMicros), new VectorValues.Timestamp(w.EndMicros), c]);
        }

        Assert.Equal(VectorValues.CanonicalRows(expected.GetProperty("rows")), VectorValues.CanonicalRows(rows));
    }
}
