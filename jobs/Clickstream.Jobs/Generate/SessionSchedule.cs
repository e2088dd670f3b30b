namespace Clickstream.Jobs.Generate;

/// <summary>
/// Sessions waiting for their next step, by due time: a timing wheel of 100 ms buckets, each a FIFO list
/// threaded through the sessions themselves. Adding and taking cost O(1) with no allocation, where a binary
/// heap over a few hundred thousand live sessions was the generator's largest cost. Within a bucket, sessions
/// come out in the order they went in, which keeps the output deterministic.
/// </summary>
/// <remarks>
/// A due time beyond the wheel's span (possible only when overdue sessions pile up in a very sparse stream) is
/// clamped to the last bucket, so that session comes due early; its steps still never go back in time.
/// A slot never mixes two laps of the wheel: the cursor only passes a slot once it is empty.
/// </remarks>
internal sealed class SessionSchedule
{
    public const long BucketMicros = 100_000;

    // 4096 buckets span 409.6 s, far more than the longest gap between two steps of a session (60 s).
    private const int BucketCount = 4096;
    private const int Mask = BucketCount - 1;

    private readonly Session?[] _heads = new Session?[BucketCount];
    private readonly Session?[] _tails = new Session?[BucketCount];
    private long _cursor;

    public SessionSchedule(long startMicros) => _cursor = Bucket(startMicros);

    public int Count { get; private set; }

    public void Add(Session session, long dueMicros)
    {
        var bucket = Math.Clamp(Bucket(dueMicros), _cursor, _cursor + BucketCount - 1);
        var slot = (int)(bucket & Mask);
        session.NextScheduled = null;
        if (_tails[slot] is { } tail)
        {
            tail.NextScheduled = session;
        }
        else
        {
            _heads[slot] = session;
        }

        _tails[slot] = session;
        Count++;
    }

    /// <summary>Takes the session that has been due longest, if any is due at <paramref name="nowMicros"/>.</summary>
    public Session? TakeDue(long nowMicros)
    {
        var now = Bucket(nowMicros);
        if (Count == 0)
        {
            // Nothing is waiting, so the cursor can catch up with the clock at once.
            _cursor = Math.Max(_cursor, now);
            return null;
        }

        while (Count > 0 && _cursor <= now)
        {
            var slot = (int)(_cursor & Mask);
            if (_heads[slot] is { } head)
            {
                _heads[slot] = head.NextScheduled;
                if (head.NextScheduled is null)
                {
                    _tails[slot] = null;
                }

                head.NextScheduled = null;
                Count--;
                return head;
            }

            _cursor++;
        }

        return null;
    }

    private static long Bucket(long micros) => micros >= 0 ? micros / BucketMicros : ((micros + 1) / BucketMicros) - 1;
}
