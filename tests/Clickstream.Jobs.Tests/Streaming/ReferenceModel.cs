using Clickstream.Jobs.Tests.Support;

namespace Clickstream.Jobs.Tests.Streaming;

/// <summary>
/// An independent, deliberately plain implementation of the clickstream job's definitions, used to check the
/// job's export. It shares no code with the job: lines are validated by <see cref="ReferenceParser"/>, and every
/// rule below is a dictionary or a loop over the batch.
/// <list type="bullet">
/// <item>Watermark: the batch N runs with <c>W(N) = max(0, max event time in batches 0..N−1 − delay)</c> (ms, event
/// times floored to the millisecond, duplicates and late events included); rows of batch N are late when their
/// window ends at or before <c>W(N−1)</c>, the watermark the previous batch ran with (0 for the first).</item>
/// <item>Duplicates: the first occurrence of an event_id in arrival order wins; a key is remembered until
/// <c>first event time + delay &lt;= W</c> at the end of a batch that ran with watermark W. Late events are
/// deduplicated too.</item>
/// <item>Windows: one-minute tumbling, <c>[start, end)</c>. Late events are counted in <c>late</c> and nowhere else;
/// duplicates in <c>duplicates</c>, invalid lines in <c>invalid</c> (at the batch's processing time when the
/// line has no readable timestamp), all in the window of their own time.</item>
/// <item>Funnel: per session, events in arrival order across batches and in event-time order within a batch (ties
/// in arrival order). A step counts at the first event of its type after the previous step; its row is dropped
/// when its window is late, but the session still moves on. A session's state is forgotten at the end of a batch
/// whose watermark is past its timeout, <c>max(last event time + 30 min, watermark when last updated)</c>.</item>
/// </list>
/// The batches must be given exactly as the job planned them, including the no-data batch it runs at the end when
/// the watermark moved (it counts nothing but forgets expired state, which matters when more data comes later).
/// </summary>
internal static class ReferenceModel
{
    public const long WindowMicros = 60_000_000;
    public const long FunnelInactivityMs = 30 * 60 * 1000;
    public const string NoCategory = "(none)";
    public const long DefaultDelayMs = 10 * 60 * 1000;

    public static readonly string[] FunnelSteps = ["page_view", "product_view", "add_to_cart", "checkout_start", "purchase"];

    public static ModelResult Run(IReadOnlyList<ModelBatch> batches, long watermarkDelayMs = DefaultDelayMs)
    {
        var counts = new Dictionary<(string Metric, long Start, string? Key), long>();
        var users = new Dictionary<long, HashSet<string>>();
        var invalid = new List<ModelInvalid>();
        var watermarks = new List<long>();
        var kept = new List<string>();

        var seen = new Dictionary<string, long>(StringComparer.Ordinal); // event_id → expiry (ms)
        var sessions = new Dictionary<string, Session>(StringComparer.Ordinal);
        long watermark = 0;
        long previousWatermark = 0;
        long? maxEventMs = null;

        void Count(string metric, long timeMicros, string? key)
        {
            var id = (metric, WindowStart(timeMicros), key);
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        foreach (var batch in batches)
        {
            watermarks.Add(watermark);
            var lateLimitMicros = previousWatermark * 1000;
            bool IsLate(long timeMicros) => WindowStart(timeMicros) + WindowMicros <= lateLimitMicros;

            // Validate; the watermark of the next batch sees every valid event.
            var valid = new List<ModelEvent>();
            foreach (var line in batch.Lines)
            {
                var parsed = ReferenceParser.Parse(line.Bytes);
                if (parsed.Event is { } e)
                {
                    valid.Add(e);
                    maxEventMs = Math.Max(maxEventMs ?? long.MinValue, FloorMs(e.TimestampMicros));
                    continue;
                }

                invalid.Add(new ModelInvalid(batch.BatchId, line, parsed.Reason!, parsed.TimestampMicros));
                Count("invalid", parsed.TimestampMicros ?? (batch.TimestampMs * 1000), null);
            }

            // Deduplicate in arrival order, late events included.
            var unique = new List<ModelEvent>();
            foreach (var e in valid)
            {
                if (seen.ContainsKey(e.EventId))
                {
                    Count("duplicates", e.TimestampMicros, null);
                    continue;
                }

                seen[e.EventId] = FloorMs(e.TimestampMicros) + watermarkDelayMs;
                unique.Add(e);
                kept.Add(e.EventId);
            }

            // Windowed counts; a late event is counted only as late.
            foreach (var e in unique)
            {
                if (IsLate(e.TimestampMicros))
                {
                    Count("late", e.TimestampMicros, null);
                    continue;
                }

                Count("events", e.TimestampMicros, e.EventType);
                if (e.EventType == "page_view")
                {
                    Count("page_views", e.TimestampMicros, e.Category ?? NoCategory);
                }
                else if (e.EventType == "product_view" && e.ProductId is not null)
                {
                    Count("top_products", e.TimestampMicros, e.ProductId);
                }

                var start = WindowStart(e.TimestampMicros);
                if (!users.TryGetValue(start, out var set))
                {
                    users[start] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.Add(e.UserId);
            }

            // Funnel: per session, this batch's events in event-time order (OrderBy is stable: ties keep arrival order).
            foreach (var group in unique.GroupBy(e => e.SessionId, StringComparer.Ordinal))
            {
                var state = sessions.GetValueOrDefault(group.Key) ?? new Session(0, long.MinValue, 0);
                var steps = state.Steps;
                var last = state.LastEventMs;
                foreach (var e in group.OrderBy(e => e.TimestampMicros))
                {
                    if (steps < FunnelSteps.Length && e.EventType == FunnelSteps[steps])
                    {
                        if (!IsLate(e.TimestampMicros))
                        {
                            Count("funnel", e.TimestampMicros, FunnelSteps[steps]);
                        }

                        steps++;
                    }

                    last = Math.Max(last, FloorMs(e.TimestampMicros));
                }

                sessions[group.Key] = new Session(steps, last, Math.Max(last + FunnelInactivityMs, watermark));
            }

            // End of the batch: forget what expired by this batch's watermark.
            foreach (var (session, state) in sessions.ToList())
            {
                if (state.TimeoutMs < watermark)
                {
                    sessions.Remove(session);
                }
            }

            foreach (var (id, expiry) in seen.ToList())
            {
                if (expiry <= watermark)
                {
                    seen.Remove(id);
                }
            }

            previousWatermark = watermark;
            if (maxEventMs is { } max)
            {
                watermark = Math.Max(watermark, max - watermarkDelayMs);
            }
        }

        foreach (var (start, set) in users)
        {
            counts[("active_users", start, null)] = set.Count;
        }

        return new ModelResult
        {
            Rows = [.. counts
                .Select(c => new ExportRow(c.Key.Metric, c.Key.Start, c.Key.Start + WindowMicros, c.Key.Key, c.Value))
                .OrderBy(r => r.Metric, StringComparer.Ordinal)
                .ThenBy(r => r.WindowStartMicros)
                .ThenBy(r => r.Key ?? string.Empty, StringComparer.Ordinal)],
            BatchWatermarksMs = watermarks,
            Invalid = invalid,
            KeptEventIds = kept,
            UsersByWindow = users,
        };
    }

    /// <summary>Turns files into batches as the job plans them with one file per trigger: batch i reads file i.</summary>
    public static IReadOnlyList<ModelBatch> OneFilePerBatch(IReadOnlyList<string> files, IReadOnlyList<CheckpointBatch> planned)
    {
        var batches = new List<ModelBatch>();
        for (var i = 0; i < planned.Count; i++)
        {
            var lines = i < files.Count ? EventFiles.ReadLines(files[i]) : [];
            batches.Add(new ModelBatch(planned[i].BatchId, planned[i].TimestampMs, lines));
        }

        return batches;
    }

    public static long WindowStart(long micros) => micros - (((micros % WindowMicros) + WindowMicros) % WindowMicros);

    public static long FloorMs(long micros) => micros >= 0 ? micros / 1000 : -((-micros + 999) / 1000);

    private sealed record Session(int Steps, long LastEventMs, long TimeoutMs);
}
