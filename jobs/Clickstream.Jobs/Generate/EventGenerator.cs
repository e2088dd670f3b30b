using System.Buffers;
using System.Text.Json;

namespace Clickstream.Jobs.Generate;

/// <summary>
/// Produces the sample stream line by line, in arrival order: the same options always give the same bytes.
/// </summary>
/// <remarks>
/// Line <c>i</c> of <c>N</c> arrives at <c>start + i·duration/N</c>. An on-time event is the next step of the
/// session that has been waiting longest past its due time (or of a new session when none is due), stamped with
/// its arrival time, so the stream is in timestamp order except for network delays, retries and late events.
/// Sessions therefore start whenever the traffic needs them and stay a few seconds to a minute between
/// steps. One event in twenty is stamped up to 2 s before its arrival (a slow network). Late events come from a
/// phone that was offline and may predate <c>--start</c>.
/// </remarks>
internal sealed class EventGenerator
{
    public const int ProductCount = 5_000;

    private const long Second = 1_000_000;
    private const long Minute = 60 * Second;
    private const long RetryWindow = Minute;
    private const long MaxArrivalDelay = 2 * Second;
    private const double DelayedShare = 0.05;
    private const ulong CatalogSeedSalt = 0xC0FFEE_5EED_CA7AUL;

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = EncodedText.Encoder };

    private readonly Xoshiro256StarStar _random;
    private readonly SessionFactory _sessions;
    private readonly EventWriter _events;
    private readonly SessionSchedule _schedule;
    private readonly RecentLines _recent = new(capacity: 4096);
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json;
    private readonly long _start;
    private readonly long _duration;
    private readonly long _total;
    private readonly double _duplicateBelow;
    private readonly double _invalidBelow;
    private readonly double _lateBelow;
    private Session? _offline;
    private long _offlineTime;

    public EventGenerator(GenerateOptions options)
    {
        _random = new Xoshiro256StarStar(options.Seed);
        var catalog = new ShopCatalog(new Xoshiro256StarStar(options.Seed ^ CatalogSeedSalt), ProductCount);
        _sessions = new SessionFactory(_random, catalog);
        _events = new EventWriter(catalog, _random);
        _json = new Utf8JsonWriter(_buffer, JsonOptions);
        _start = FloorToMillisecond((options.Start.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond);
        _schedule = new SessionSchedule(_start);
        _duration = options.Minutes * Minute;
        _total = options.Events;
        _duplicateBelow = options.DuplicateRate;
        _invalidBelow = _duplicateBelow + options.InvalidRate;
        _lateBelow = _invalidBelow + options.LateRate;
    }

    public GenerationCounts Counts { get; } = new();

    public bool HasMore => Counts.Lines < _total;

    public int Users => _sessions.Users;

    public long Sessions => _sessions.Sessions;

    /// <summary>The next line, without its newline. The span is only valid until the next call.</summary>
    public ReadOnlySpan<byte> NextLine(out LineKind kind)
    {
        if (!HasMore)
        {
            throw new InvalidOperationException("every line has been generated");
        }

        var now = _start + (long)((Int128)_duration * Counts.Lines / _total);
        _recent.Expire(now - RetryWindow);

        var u = _random.NextDouble();
        kind = u < _duplicateBelow ? LineKind.Duplicate
            : u < _invalidBelow ? LineKind.Invalid
            : u < _lateBelow ? LineKind.Late
            : LineKind.Valid;
        if (kind == LineKind.Duplicate && _recent.Count == 0)
        {
            kind = LineKind.Valid;
        }

        ReadOnlySpan<byte> line;
        switch (kind)
        {
            case LineKind.Duplicate:
                line = _recent.Get(_random.Next(_recent.Count));
                break;
            case LineKind.Invalid:
                line = WriteInvalid(now);
                break;
            case LineKind.Late:
                line = WriteLate(now);
                break;
            default:
                line = WriteOnTime(now, InvalidKind.None);
                _recent.Add(line, now);
                break;
        }

        Counts.Count(kind);
        return line;
    }

    private ReadOnlySpan<byte> WriteOnTime(long now, InvalidKind invalid)
    {
        var session = _schedule.TakeDue(now) ?? _sessions.Create();

        // Most events reach the collector within the millisecond; a few come over a slow network.
        var delay = _random.Chance(DelayedShare) ? _random.NextLong(0, MaxArrivalDelay) : 0;
        var time = FloorToMillisecond(now - delay);
        time = Math.Max(time, Math.Max(_start, session.LastTimeMicros));
        var line = Write(session, time, invalid);
        if (!session.IsDone)
        {
            _schedule.Add(session, time + NextGap());
        }

        return line;
    }

    private ReadOnlySpan<byte> WriteInvalid(long now)
    {
        var invalid = (InvalidKind)_random.Next((int)InvalidKind.Truncated, (int)InvalidKind.JsonArray + 1);
        if (invalid != InvalidKind.Truncated)
        {
            return WriteOnTime(now, invalid);
        }

        // Keep at least a third of the line, and never end inside a multi-byte character.
        var full = WriteOnTime(now, InvalidKind.None);
        var cut = _random.Next(full.Length / 3, full.Length - 1);
        while (cut > 1 && (full[cut] & 0xC0) == 0x80)
        {
            cut--;
        }

        return full[..cut];
    }

    private ReadOnlySpan<byte> WriteLate(long now)
    {
        var newest = now - (15 * Minute);
        var oldest = now - (45 * Minute);
        if (_offline is null || _offline.IsDone || _offlineTime < oldest || _offlineTime > newest)
        {
            // A phone comes back online and sends what it queued; its next queued events follow in later late lines.
            _offline = _sessions.Create(forceMobile: true);
            _offlineTime = FloorToMillisecond(_random.NextLong(oldest + 1000, newest));
        }

        var line = Write(_offline, _offlineTime, InvalidKind.None);
        _offlineTime += NextGap();
        return line;
    }

    private ReadOnlySpan<byte> Write(Session session, long time, InvalidKind invalid)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _events.WriteNext(_json, session, time, invalid);
        _json.Flush();
        return _buffer.WrittenSpan;
    }

    /// <summary>Time to the session's next step: 2 to 60 seconds, mostly short (the product of two uniforms).</summary>
    private long NextGap() => (2 * Second) + (long)(_random.NextDouble() * _random.NextDouble() * 58 * Second);

    private static long FloorToMillisecond(long micros) => micros - (((micros % 1000) + 1000) % 1000);
}
