namespace Clickstream.Jobs.Generate;

/// <summary>
/// Sessions waiting for their next step, by due time: a timing wheel of 100 ms buckets, each a FIFO list
/// threaded through the sessions themselves. Adding and taking cost O(1) with no allocation, where a binary
/// heap over a few hundred thousand live sessions was the generator's largest cost. Within a bucket, sessions
/// come out in the order they went in, which keeps the output deterministic.
/// </summary>
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
        var bucket = Math.Max(Bucket(dueMicros), _cursor);
        if (bucket - _cursor >= BucketCount)
        {
            throw new InvalidOperationException("a session was scheduled beyond the timing wheel's span");
        }

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
