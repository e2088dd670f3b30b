namespace Clickstream.Collector;

/// <summary>
/// Everything the collector needs to run. The defaults are the documented limits; hosts (the
/// <c>clickstream collector</c> and <c>clickstream up</c> commands, tests, the load harness) set the sink folder,
/// the address and the write keys.
/// </summary>
public sealed record CollectorOptions
{
    /// <summary>The folder that receives the published NDJSON landing files (the stream job's input).</summary>
    public required string SinkDirectory { get; init; }

    /// <summary>
    /// Makes the sink when the events go somewhere other than the landing folder (a Kinesis stream); null for the
    /// landing log in <see cref="SinkDirectory"/>. The server owns and disposes what it returns.
    /// </summary>
    public Func<IEventSink>? Sink { get; init; }

    /// <summary>The address to listen on; loopback unless the host says otherwise.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The TCP port; 0 picks a free one (read it back from <see cref="CollectorServer.Url"/>).</summary>
    public int Port { get; init; } = 8080;

    /// <summary>Write keys, one per app. A request must present one of them as <c>Authorization: Bearer KEY</c>.</summary>
    public IReadOnlyList<WriteKey> WriteKeys { get; init; } = [];

    /// <summary>Origins allowed to post from a browser; empty allows any origin (write keys still apply).</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    /// <summary>Largest request body, both as sent and after gzip decompression.</summary>
    public int MaxRequestBytes { get; init; } = 1024 * 1024;

    /// <summary>Largest single event, as the client sent it.</summary>
    public int MaxEventBytes { get; init; } = 32 * 1024;

    /// <summary>Most events in one request.</summary>
    public int MaxEventsPerRequest { get; init; } = 500;

    /// <summary>A landing file is published once it holds this many bytes.</summary>
    public long RollBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>A landing file is published this long after its first event, so the stream job sees events soon.</summary>
    public TimeSpan RollAge { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Bytes accepted but not yet written; beyond it requests get 503 instead of queueing without bound.
    /// </summary>
    public int MaxPendingBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>How long a request waits for its events to be durable before it gets 503.</summary>
    public TimeSpan DurabilityTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Write warnings and errors to the console (the command-line host turns this on).</summary>
    public bool ConsoleLogging { get; init; }

    /// <summary>The clock for <c>received_at</c>, file names and rolling.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Fails with a message naming the first option that cannot work.</summary>
    public void Validate()
    {
        if (Sink is null && string.IsNullOrWhiteSpace(SinkDirectory))
        {
            throw new ArgumentException("the sink directory is required");
        }

        if (WriteKeys.Count == 0)
        {
            throw new ArgumentException("at least one write key is required (appName=key)");
        }

        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"port must be between 0 and 65535, got {Port}");
        }

        if (MaxRequestBytes <= 0 || MaxEventBytes <= 0 || MaxEventsPerRequest <= 0 || RollBytes <= 0 || MaxPendingBytes < MaxRequestBytes)
        {
            throw new ArgumentException("limits must be positive and the pending buffer must hold at least one request");
        }

        if (RollAge <= TimeSpan.Zero || RollAge > TimeSpan.FromDays(1) || DurabilityTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("roll age must be positive and at most a day; the durability timeout must be positive");
        }
    }
}
