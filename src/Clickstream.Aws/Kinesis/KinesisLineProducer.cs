using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Clickstream.Aws.Kinesis;

/// <summary>Settings of a <see cref="KinesisLineProducer"/>.</summary>
public sealed record KinesisProducerOptions
{
    /// <summary>The largest record it packs (data plus partition key; Kinesis's limit is 1 MiB).</summary>
    public int MaxRecordBytes { get; init; } = KinesisLimits.MaxRecordBytes;

    /// <summary>PutRecords calls in flight at once.</summary>
    public int MaxCallsInFlight { get; init; } = 8;

    /// <summary>Bytes waiting to be sent before new lines are refused (backpressure).</summary>
    public long MaxPendingBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>How long a record may keep failing (throttled) before the lines in it are reported as not stored.</summary>
    public TimeSpan RecordDeadline { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>What a producer has done, for metrics and the docs' cost figures.</summary>
public sealed class KinesisProducerStats
{
    private long _lines;
    private long _records;
    private long _bytes;
    private long _putUnits;
    private long _calls;
    private long _throttledRecords;

    /// <summary>Lines (events) stored.</summary>
    public long Lines => Interlocked.Read(ref _lines);

    /// <summary>Kinesis records stored (each holds one or more lines of one partition key).</summary>
    public long Records => Interlocked.Read(ref _records);

    /// <summary>Record bytes stored (data plus partition keys).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>PUT payload units billed: each record rounded up to 25 KB.</summary>
    public long PutUnits => Interlocked.Read(ref _putUnits);

    /// <summary>PutRecords calls made, retries included.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Records Kinesis refused (throttled or failed) and that were sent again.</summary>
    public long ThrottledRecords => Interlocked.Read(ref _throttledRecords);

    internal void Stored(int lines, int bytes)
    {
        Interlocked.Add(ref _lines, lines);
        Interlocked.Increment(ref _records);
        Interlocked.Add(ref _bytes, bytes);
        Interlocked.Add(ref _putUnits, (bytes + KinesisLimits.PutPayloadUnitBytes - 1) / KinesisLimits.PutPayloadUnitBytes);
    }

    internal void Called() => Interlocked.Increment(ref _calls);

    internal void Throttled(int records) => Interlocked.Add(ref _throttledRecords, records);
}

/// <summary>Lines could not be stored in Kinesis (throttled past the deadline, a fatal error, full, or stopping).</summary>
public sealed class KinesisUnavailableException : Exception
{
    public KinesisUnavailableException()
    {
    }

    public KinesisUnavailableException(string message)
        : base(message)
    {
    }

    public KinesisUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Puts NDJSON lines into a Kinesis stream with partition key <c>user_id</c>, acknowledging each batch of lines only
/// once every line of it is stored. Lines waiting at the same moment (from concurrent requests) are grouped by
/// user and packed into as few records as fit (NDJSON, up to <see cref="KinesisProducerOptions.MaxRecordBytes"/>),
/// which cuts records and PUT payload units; the records go up in PutRecords calls of up to 500 records and
/// 5 MiB, several calls in flight, and only the records Kinesis refused are sent again (with backoff) until
/// <see cref="KinesisProducerOptions.RecordDeadline"/>. Lines without a usable <c>user_id</c> (they will be
/// quarantined downstream) are spread over a few fixed keys. Past <see cref="KinesisProducerOptions.MaxPendingBytes"/>
/// new lines are refused at once, which the collector turns into 503 + Retry-After.
/// </summary>
public sealed class KinesisLineProducer : IAsyncDisposable
{
    private const int UnkeyedSpread = 64;
    private static readonly byte[] UserIdName = "user_id"u8.ToArray();

    private readonly KinesisClient _client;
    private readonly string _stream;
    private readonly KinesisProducerOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly SemaphoreSlim _calls;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _inFlight = [];
    private List<Pending> _pending = [];
    private long _pendingBytes;
    private bool _closing;
    private int _unkeyed;
    private volatile bool _healthy = true;

    public KinesisLineProducer(KinesisClient client, string stream, KinesisProducerOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(stream);
        _client = client;
        _stream = stream;
        _options = options ?? new KinesisProducerOptions();
        _time = time ?? TimeProvider.System;
        _calls = new SemaphoreSlim(_options.MaxCallsInFlight, _options.MaxCallsInFlight);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>What has been stored so far.</summary>
    public KinesisProducerStats Stats { get; } = new();

    /// <summary>False after lines failed to be stored, until a later call succeeds.</summary>
    public bool IsHealthy => _healthy && !_closing;

    /// <summary>The stream written to.</summary>
    public string Stream => _stream;

    /// <summary>
    /// Queues complete NDJSON lines (each ending in <c>\n</c>); the task completes once every one of them is in
    /// Kinesis, or fails with <see cref="KinesisUnavailableException"/> (nothing of a failed batch is acknowledged;
    /// some of its lines may be stored, and a client's retry is deduplicated downstream by event id).
    /// </summary>
    public Task PutAsync(ReadOnlySpan<byte> lines)
    {
        if (lines.IsEmpty)
        {
            return Task.CompletedTask;
        }

        var item = new Pending(lines.ToArray());
        lock (_gate)
        {
            if (_closing)
            {
                return Task.FromException(new KinesisUnavailableException("the producer is stopping"));
            }

            if (_pendingBytes + lines.Length > _options.MaxPendingBytes)
            {
                return Task.FromException(new KinesisUnavailableException($"{_pendingBytes:N0} bytes are already waiting for Kinesis stream {_stream}"));
            }

            _pendingBytes += lines.Length;
            _pending.Add(item);
        }

        _signal.Release();
        return item.Done.Task;
    }

    /// <summary>Stops taking lines and waits until everything queued has been stored or has failed.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _closing = true;
        }

        _signal.Release();
        await _loop.ConfigureAwait(false);
        Task[] inFlight;
        lock (_inFlight)
        {
            inFlight = [.. _inFlight];
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
        _stop.Dispose();
        _signal.Dispose();
        _calls.Dispose();
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            await _signal.WaitAsync().ConfigureAwait(false);
            List<Pending> batch;
            bool closing;
            lock (_gate)
            {
                batch = _pending;
                _pending = [];
                closing = _closing;
            }

            if (batch.Count > 0)
            {
                foreach (var call in Pack(batch))
                {
                    await _calls.WaitAsync().ConfigureAwait(false);
                    var task = SendAsync(call);
                    lock (_inFlight)
                    {
                        _inFlight.Add(task);
                    }

                    _ = task.ContinueWith(t =>
                    {
                        lock (_inFlight)
                        {
                            _inFlight.Remove(t);
                        }
                    }, TaskScheduler.Default);
                }
            }

            if (closing)
            {
                lock (_gate)
                {
                    if (_pending.Count == 0)
                    {
                        return;
                    }
                }
            }
        }
    }

    /// <summary>Groups the lines by partition key, packs them into records and the records into calls.</summary>
    private List<List<PackedRecord>> Pack(List<Pending> batch)
    {
        var byKey = new Dictionary<string, List<(Pending Owner, int Start, int Length)>>(StringComparer.Ordinal);
        foreach (var item in batch)
        {
            var data = item.Lines;
            var start = 0;
            while (start < data.Length)
            {
                var end = Array.IndexOf(data, (byte)'\n', start);
                end = end < 0 ? data.Length : end + 1;
                var key = PartitionKey(data.AsSpan(start, end - start));
                if (!byKey.TryGetValue(key, out var lines))
                {
                    byKey[key] = lines = [];
                }

                lines.Add((item, start, end - start));
                start = end;
            }
        }

        var records = new List<PackedRecord>();
        foreach (var (key, lines) in byKey)
        {
            var keyBytes = Encoding.UTF8.GetByteCount(key);
            var room = Math.Max(1, _options.MaxRecordBytes - keyBytes);
            var buffer = new ArrayBufferWriter<byte>();
            var owners = new HashSet<Pending>();
            var count = 0;
            foreach (var (owner, start, length) in lines)
            {
                if (count > 0 && buffer.WrittenCount + length > room)
                {
                    records.Add(new PackedRecord(key, buffer.WrittenMemory.ToArray(), count, owners));
                    buffer.ResetWrittenCount();
                    owners = [];
                    count = 0;
                }

                owner.Lines.AsSpan(start, length).CopyTo(buffer.GetSpan(length));
                buffer.Advance(length);
                owners.Add(owner);
                count++;
            }

            records.Add(new PackedRecord(key, buffer.WrittenMemory.ToArray(), count, owners));
        }

        foreach (var record in records)
        {
            foreach (var owner in record.Owners)
            {
                owner.Outstanding++;
            }
        }

        var calls = new List<List<PackedRecord>>();
        var current = new List<PackedRecord>();
        var bytes = 0;
        foreach (var record in records)
        {
            if (current.Count == KinesisLimits.MaxRecordsPerPut || (current.Count > 0 && bytes + record.Size > KinesisLimits.MaxBytesPerPut))
            {
                calls.Add(current);
                current = [];
                bytes = 0;
            }

            current.Add(record);
            bytes += record.Size;
        }

        if (current.Count > 0)
        {
            calls.Add(current);
        }

        return calls;
    }

    private async Task SendAsync(List<PackedRecord> records)
    {
        try
        {
            var started = _time.GetTimestamp();
            var attempt = 0;
            while (records.Count > 0)
            {
                KinesisPutOutcome[] outcomes;
                try
                {
                    Stats.Called();
                    outcomes = await _client.PutRecordsAsync(_stream, records.Select(r => new KinesisPutEntry(r.Key, r.Data)).ToArray(), _stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is AwsCallException or OperationCanceledException)
                {
                    _healthy = false;
                    Fail(records, new KinesisUnavailableException($"Kinesis stream {_stream}: {e.Message}", e));
                    return;
                }

                var failed = new List<PackedRecord>();
                string? reason = null;
                for (var i = 0; i < records.Count; i++)
                {
                    if (outcomes[i].Succeeded)
                    {
                        Stats.Stored(records[i].Lines, records[i].Size);
                        Complete(records[i]);
                    }
                    else
                    {
                        failed.Add(records[i]);
                        reason ??= $"{outcomes[i].ErrorCode}: {outcomes[i].ErrorMessage}";
                    }
                }

                if (failed.Count == 0)
                {
                    _healthy = true;
                    return;
                }

                Stats.Throttled(failed.Count);
                if (_time.GetElapsedTime(started) >= _options.RecordDeadline)
                {
                    _healthy = false;
                    Fail(failed, new KinesisUnavailableException($"Kinesis stream {_stream} still refused {failed.Count} records after {_options.RecordDeadline.TotalSeconds:F0} s ({reason})"));
                    return;
                }

                // Only the refused records go again, after a full-jitter backoff (100 ms doubling up to 2 s).
                var cap = Math.Min(2_000, 100 * Math.Pow(2, Math.Min(attempt++, 8)));
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap), _time).ConfigureAwait(false);
                records = failed;
            }
        }
        finally
        {
            _calls.Release();
        }
    }

    private void Complete(PackedRecord record)
    {
        foreach (var owner in record.Owners)
        {
            lock (owner)
            {
                // A batch that already failed (another of its records) stays failed.
                if (--owner.Outstanding == 0 && owner.Done.TrySetResult())
                {
                    Release(owner);
                }
            }
        }
    }

    private void Fail(List<PackedRecord> records, Exception error)
    {
        foreach (var record in records)
        {
            foreach (var owner in record.Owners)
            {
                lock (owner)
                {
                    if (owner.Done.TrySetException(error))
                    {
                        Release(owner);
                    }
                }
            }
        }
    }

    private void Release(Pending owner)
    {
        lock (_gate)
        {
            _pendingBytes -= owner.Lines.Length;
        }
    }

    /// <summary>The line's top-level <c>user_id</c> string, or one of a few fixed keys when it has none.</summary>
    private string PartitionKey(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        try
        {
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isUser = reader.ValueTextEquals(UserIdName);
                    reader.Read();
                    if (isUser)
                    {
                        if (reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 and <= KinesisLimits.MaxPartitionKeyLength } user)
                        {
                            return user;
                        }

                        break;
                    }

                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the job quarantines it; any key will do.
        }

        return "unkeyed-" + (Interlocked.Increment(ref _unkeyed) % UnkeyedSpread);
    }

    private sealed class Pending(byte[] lines)
    {
        public byte[] Lines { get; } = lines;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Records holding some of these lines that are not stored yet (guarded by locking this).</summary>
        public int Outstanding { get; set; }
    }

    private sealed record PackedRecord(string Key, byte[] Data, int Lines, HashSet<Pending> Owners)
    {
        public int Size => Data.Length + Encoding.UTF8.GetByteCount(Key);
    }
}
