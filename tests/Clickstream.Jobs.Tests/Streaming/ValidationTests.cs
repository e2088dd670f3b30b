using System.Text;
using Clickstream.Jobs.Tests.Support;
using static Clickstream.Jobs.Tests.Support.EventJson;

namespace Clickstream.Jobs.Tests.Streaming;

/// <summary>
/// Invalid lines never stop the job: each is counted in <c>invalid</c> (in its event-time window when its timestamp
/// is readable, otherwise in the window of the batch's processing time) and kept in
/// <c>&lt;checkpoint&gt;/quarantine/batch-*.ndjson</c> with its reason.
/// </summary>
public sealed class ValidationTests
{
    private static readonly (string Line, string Reason, string? Window)[] Cases =
    [
        ("this is not json", "not_json", null),
        ("[" + Of("arr", "page_view", "12:00:01") + "]", "not_an_object", null),
        ("\"page_view\"", "not_an_object", null),
        (Raw(("event_id", "m1"), ("event_type", "page_view"), ("timestamp", At("12:00:10")), ("user_id", "u-1")), "missing_field", "12:00"),
        ("{}", "missing_field", null),
        (Raw(("event_id", "e1"), ("event_type", "page_view"), ("timestamp", At("12:01:10")), ("user_id", ""), ("session_id", "s-1")), "empty_field", "12:01"),
        (Raw(("event_id", ""), ("event_type", "page_view"), ("timestamp", At("12:01:15")), ("user_id", "u-1"), ("session_id", "s-1")), "empty_field", "12:01"),
        ("{\"event_id\":\"t1\",\"event_type\":\"page_view\",\"timestamp\":\"2026-11-01T12:01:20Z\",\"user_id\":42,\"session_id\":\"s-1\"}", "wrong_type", "12:01"),
        ("{\"event_id\":\"t2\",\"event_type\":\"page_view\",\"timestamp\":1793534400000,\"user_id\":\"u-1\",\"session_id\":\"s-1\"}", "wrong_type", null),
        ("{\"event_id\":null,\"event_type\":\"page_view\",\"timestamp\":\"2026-11-01T12:01:30Z\",\"user_id\":\"u-1\",\"session_id\":\"s-1\"}", "wrong_type", "12:01"),
        (Raw(("event_id", "z1"), ("event_type", "page_view"), ("timestamp", "2026-11-01T12:00:30"), ("user_id", "u-1"), ("session_id", "s-1")), "bad_timestamp", null),
        (Raw(("event_id", "z2"), ("event_type", "page_view"), ("timestamp", "2026-11-01T25:00:00Z"), ("user_id", "u-1"), ("session_id", "s-1")), "bad_timestamp", null),
        (Raw(("event_id", "z3"), ("event_type", "page_view"), ("timestamp", "yesterday"), ("user_id", "u-1"), ("session_id", "s-1")), "bad_timestamp", null),
        (Of("tr", "page_view", "12:02:05", category: "books")[..^20], "not_json", "12:02"),
        (Raw(("event_id", "big"), ("event_type", "page_view"), ("timestamp", At("12:02:10")), ("user_id", "u-1"), ("session_id", "s-1"), ("page", new string('x', 40_000))), "too_large", null),
    ];

    [Fact]
    public async Task Stream_InvalidLinesOfEveryKind_CountedAndQuarantinedWithReason()
    {
        var badUtf8 = Encoding.UTF8.GetBytes("{\"event_id\":\"b\u00e9\",\"event_type\":\"page_view\",\"timestamp\":\"2026-11-01T12:00:20Z\",\"user_id\":\"u-1\",\"session_id\":\"s-1\"}");
        badUtf8[Array.IndexOf(badUtf8, (byte)0xC3)] = 0xFF;
        using var first = new MemoryStream();
        first.Write(Encoding.UTF8.GetBytes(Of("v1", "page_view", "12:00:05") + "\n"));
        foreach (var c in Cases)
        {
            first.Write(Encoding.UTF8.GetBytes(c.Line + "\n"));
        }

        first.Write(badUtf8);
        first.Write("\n   \n\n"u8);
        first.Write(Encoding.UTF8.GetBytes(Of("v2", "page_view", "12:00:06") + "\r\n"));
        var second = Encoding.UTF8.GetBytes("{\"event_id\":\n");

        using var s = await StreamScenario.RunAsync(null, [first.ToArray(), second]);

        s.AssertMatchesModel();
        Assert.Equal(2, s.Actual("events", "12:00", "page_view"));

        string[] expectedReasons = [.. Cases.Select(c => c.Reason), "bad_encoding", "not_json"];
        Assert.Equal(expectedReasons, s.Quarantine.Select(q => q.Reason));
        long[] expectedBatches = [.. Enumerable.Repeat(0L, Cases.Length + 1), 1L];
        Assert.Equal(expectedBatches, s.Quarantine.Select(q => q.BatchId));
        var lines = EventFiles.ReadLines(s.Files[0]);
        for (var i = 0; i < Cases.Length; i++)
        {
            var q = s.Quarantine[i];
            Assert.Equal(Cases[i].Line, q.Raw);
            Assert.Equal(s.Files[0], Path.GetFullPath(q.File));
            Assert.Equal(lines[i + 1].Offset, q.Offset);
            Assert.Equal(Cases[i].Window is null ? null : $"{Day}T{Cases[i].Window}", q.Timestamp?[..16]);
            Assert.False(string.IsNullOrWhiteSpace(q.Detail));
        }

        // Counted in the event-time window when the timestamp is readable, else at the batch's processing time.
        var expected = new Dictionary<long, long>();
        void Add(long windowStart) => expected[windowStart] = expected.GetValueOrDefault(windowStart) + 1;
        foreach (var c in Cases)
        {
            Add(c.Window is { } w ? Micros(w) : ReferenceModel.WindowStart(s.Batches[0].TimestampMs * 1000));
        }

        Add(ReferenceModel.WindowStart(s.Batches[0].TimestampMs * 1000));
        Add(ReferenceModel.WindowStart(s.Batches[1].TimestampMs * 1000));
        var actual = s.Export.Where(r => r.Metric == "invalid").ToDictionary(r => r.WindowStartMicros, r => r.Value);
        Assert.Equal(expected.OrderBy(kv => kv.Key), actual.OrderBy(kv => kv.Key));
        Assert.All(s.Export.Where(r => r.Metric == "invalid"), r => Assert.Null(r.Key));
    }
}
