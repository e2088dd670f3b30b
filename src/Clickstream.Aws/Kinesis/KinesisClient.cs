using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;

namespace Clickstream.Aws.Kinesis;

/// <summary>
/// The Kinesis Data Streams calls the pipeline makes, over the service's JSON 1.1 protocol (<c>POST /</c>,
/// <c>X-Amz-Target: Kinesis_20131202.Op</c>) signed with AWSSDK.Core's SigV4, with the same region, credential and
/// endpoint settings as the other clients (<c>AWS_ENDPOINT_URL_KINESIS</c> / <c>AWS_ENDPOINT_URL</c>). Every call
/// runs through <see cref="AwsRetry"/> (throttling, 5xx, timeouts are retried; the rest fail with the service's
/// code and message), except that PutRecords reports per-record failures instead of retrying them, so the caller
/// sends again only what failed.
/// </summary>
public sealed class KinesisClient : IDisposable
{
    private const string Target = "Kinesis_20131202.";
    private static readonly MediaTypeHeaderValue JsonType = new("application/x-amz-json-1.1");

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly AwsRetry _retry;

    /// <summary>A client for <paramref name="settings"/>.</summary>
    public KinesisClient(AwsSettings settings, AwsRetry retry)
        : this(settings, retry, null)
    {
    }

    /// <summary>A client whose requests go through <paramref name="transport"/> (fault injection in tests).</summary>
    internal KinesisClient(AwsSettings settings, AwsRetry retry, HttpMessageHandler? transport)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(retry);
        var region = settings.Region ?? FallbackRegionFactory.GetRegionEndpoint()
            ?? throw new AmazonClientException("no AWS region is configured (set AWS_REGION or a profile's region)");
        var credentials = settings.Credentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials();
        _endpoint = settings.KinesisEndpoint ?? new Uri($"https://kinesis.{region.SystemName}.{region.PartitionDnsSuffix ?? "amazonaws.com"}/");
        transport ??= new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 64 };
        _http = new HttpClient(new SigV4SigningHandler(credentials, region, "kinesis", transport)) { Timeout = TimeSpan.FromSeconds(30) };
        _retry = retry;
    }

    /// <summary>Where the calls go.</summary>
    public Uri Endpoint => _endpoint;

    /// <summary>Retries made so far.</summary>
    public long Retries => _retry.Retries;

    /// <summary>Creates a provisioned stream of <paramref name="shards"/> shards; false if it already exists.</summary>
    public async Task<bool> CreateStreamAsync(string stream, int shards, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        try
        {
            await CallAsync($"create stream {stream}", "CreateStream", w =>
            {
                w.WriteString("StreamName", stream);
                w.WriteNumber("ShardCount", shards);
            }, _ => true, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AwsCallException e) when (e.InnerException is KinesisServiceException { ErrorCode: "ResourceInUseException" })
        {
            return false;
        }
    }

    /// <summary>Deletes a stream (tests).</summary>
    public Task DeleteStreamAsync(string stream, CancellationToken cancellationToken = default) =>
        CallAsync($"delete stream {stream}", "DeleteStream", w =>
        {
            w.WriteString("StreamName", stream);
            w.WriteBoolean("EnforceConsumerDeletion", true);
        }, _ => true, cancellationToken);

    /// <summary>The stream's summary.</summary>
    public Task<KinesisStreamSummary> DescribeStreamSummaryAsync(string stream, CancellationToken cancellationToken = default) =>
        CallAsync($"describe stream {stream}", "DescribeStreamSummary", w => w.WriteString("StreamName", stream), root =>
        {
            var s = root.GetProperty("StreamDescriptionSummary");
            return new KinesisStreamSummary(
                s.GetProperty("StreamName").GetString()!,
                s.TryGetProperty("StreamARN", out var arn) ? arn.GetString() ?? "" : "",
                s.GetProperty("StreamStatus").GetString()!,
                s.TryGetProperty("OpenShardCount", out var open) ? open.GetInt32() : 0,
                s.TryGetProperty("RetentionPeriodHours", out var hours) ? hours.GetInt32() : 24);
        }, cancellationToken);

    /// <summary>Waits until the stream is ACTIVE (after a create or a reshard), polling every 100 ms up to <paramref name="timeout"/>.</summary>
    public async Task<KinesisStreamSummary> WaitUntilActiveAsync(string stream, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var summary = await DescribeStreamSummaryAsync(stream, cancellationToken).ConfigureAwait(false);
            if (summary.Status == "ACTIVE")
            {
                return summary;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new AwsCallException($"stream {stream} is still {summary.Status} after {timeout.TotalSeconds:F0} s");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every shard of the stream, open and closed, following ListShards' pages.</summary>
    public async Task<IReadOnlyList<KinesisShard>> ListShardsAsync(string stream, CancellationToken cancellationToken = default)
    {
        var shards = new List<KinesisShard>();
        string? next = null;
        do
        {
            var token = next;
            next = await CallAsync($"list shards of {stream}", "ListShards", w =>
            {
                // ListShards takes the stream name or a continuation token, never both.
                if (token is null)
                {
                    w.WriteString("StreamName", stream);
                }
                else
                {
                    w.WriteString("NextToken", token);
                }

                w.WriteNumber("MaxResults", 1000);
            }, root =>
            {
                foreach (var s in root.GetProperty("Shards").EnumerateArray())
                {
                    var hash = s.GetProperty("HashKeyRange");
                    var sequence = s.GetProperty("SequenceNumberRange");
                    shards.Add(new KinesisShard(
                        s.GetProperty("ShardId").GetString()!,
                        OptionalString(s, "ParentShardId"),
                        OptionalString(s, "AdjacentParentShardId"),
                        hash.GetProperty("StartingHashKey").GetString()!,
                        hash.GetProperty("EndingHashKey").GetString()!,
                        sequence.GetProperty("StartingSequenceNumber").GetString()!,
                        OptionalString(sequence, "EndingSequenceNumber")));
                }

                return OptionalString(root, "NextToken");
            }, cancellationToken).ConfigureAwait(false);
        }
        while (next is not null);
        return shards;
    }

    /// <summary>
    /// Puts up to <see cref="KinesisLimits.MaxRecordsPerPut"/> records in one call and returns each one's outcome
    /// in order; records that failed (throttled, internal failure) are the caller's to send again.
    /// </summary>
    public Task<KinesisPutOutcome[]> PutRecordsAsync(string stream, IReadOnlyList<KinesisPutEntry> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count is 0 or > KinesisLimits.MaxRecordsPerPut)
        {
            throw new ArgumentOutOfRangeException(nameof(records), records.Count, $"PutRecords takes 1 to {KinesisLimits.MaxRecordsPerPut} records");
        }

        return CallAsync($"put {records.Count} records to {stream}", "PutRecords", w =>
        {
            w.WriteString("StreamName", stream);
            w.WriteStartArray("Records");
            foreach (var record in records)
            {
                w.WriteStartObject();
                w.WriteBase64String("Data", record.Data.Span);
                w.WriteString("PartitionKey", record.PartitionKey);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }, root =>
        {
            var outcomes = new KinesisPutOutcome[records.Count];
            var i = 0;
            foreach (var r in root.GetProperty("Records").EnumerateArray())
            {
                if (i == outcomes.Length)
                {
                    break;
                }

                outcomes[i++] = new KinesisPutOutcome(OptionalString(r, "ShardId"), OptionalString(r, "SequenceNumber"), OptionalString(r, "ErrorCode"), OptionalString(r, "ErrorMessage"));
            }

            if (i != outcomes.Length)
            {
                throw new AmazonClientException($"PutRecords answered {i} outcomes for {outcomes.Length} records");
            }

            return outcomes;
        }, cancellationToken);
    }

    /// <summary>A shard iterator; <paramref name="sequenceNumber"/> is required for the AT_/AFTER_ types.</summary>
    public Task<string> GetShardIteratorAsync(string stream, string shardId, KinesisIteratorType type, string? sequenceNumber = null, CancellationToken cancellationToken = default)
    {
        var typeName = type switch
        {
            KinesisIteratorType.TrimHorizon => "TRIM_HORIZON",
            KinesisIteratorType.Latest => "LATEST",
            KinesisIteratorType.AtSequenceNumber => "AT_SEQUENCE_NUMBER",
            KinesisIteratorType.AfterSequenceNumber => "AFTER_SEQUENCE_NUMBER",
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
        if (type is KinesisIteratorType.AtSequenceNumber or KinesisIteratorType.AfterSequenceNumber)
        {
            ArgumentException.ThrowIfNullOrEmpty(sequenceNumber);
        }

        return CallAsync($"get an iterator for {stream}/{shardId}", "GetShardIterator", w =>
        {
            w.WriteString("StreamName", stream);
            w.WriteString("ShardId", shardId);
            w.WriteString("ShardIteratorType", typeName);
            if (sequenceNumber is not null && type is KinesisIteratorType.AtSequenceNumber or KinesisIteratorType.AfterSequenceNumber)
            {
                w.WriteString("StartingSequenceNumber", sequenceNumber);
            }
        }, root => root.GetProperty("ShardIterator").GetString()!, cancellationToken);
    }

    /// <summary>
    /// Reads up to <paramref name="limit"/> records from an iterator. An expired iterator fails with
    /// <c>ExpiredIteratorException</c> (<see cref="IsExpiredIterator"/>): get a new one from the last sequence read.
    /// </summary>
    public Task<KinesisGetResult> GetRecordsAsync(string shardIterator, int limit = KinesisLimits.MaxRecordsPerGet, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(shardIterator);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, KinesisLimits.MaxRecordsPerGet);
        return CallAsync("get records", "GetRecords", w =>
        {
            w.WriteString("ShardIterator", shardIterator);
            w.WriteNumber("Limit", limit);
        }, root =>
        {
            var records = new List<KinesisRecord>();
            foreach (var r in root.GetProperty("Records").EnumerateArray())
            {
                var arrival = r.TryGetProperty("ApproximateArrivalTimestamp", out var t) && t.ValueKind == JsonValueKind.Number
                    ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(t.GetDouble() * 1000))
                    : DateTimeOffset.UnixEpoch;
                records.Add(new KinesisRecord(r.GetProperty("SequenceNumber").GetString()!, r.GetProperty("PartitionKey").GetString()!, arrival, r.GetProperty("Data").GetBytesFromBase64()));
            }

            var behind = root.TryGetProperty("MillisBehindLatest", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0;
            return new KinesisGetResult(records, OptionalString(root, "NextShardIterator"), behind);
        }, cancellationToken);
    }

    /// <summary>Splits a shard at <paramref name="newStartingHashKey"/> (tests and operators).</summary>
    public Task SplitShardAsync(string stream, string shardId, string newStartingHashKey, CancellationToken cancellationToken = default) =>
        CallAsync($"split {stream}/{shardId}", "SplitShard", w =>
        {
            w.WriteString("StreamName", stream);
            w.WriteString("ShardToSplit", shardId);
            w.WriteString("NewStartingHashKey", newStartingHashKey);
        }, _ => true, cancellationToken);

    /// <summary>Merges two adjacent shards (tests and operators).</summary>
    public Task MergeShardsAsync(string stream, string shardId, string adjacentShardId, CancellationToken cancellationToken = default) =>
        CallAsync($"merge {stream}/{shardId} and {adjacentShardId}", "MergeShards", w =>
        {
            w.WriteString("StreamName", stream);
            w.WriteString("ShardToMerge", shardId);
            w.WriteString("AdjacentShardToMerge", adjacentShardId);
        }, _ => true, cancellationToken);

    /// <summary>True when <paramref name="error"/> says a shard iterator expired (they live 5 minutes).</summary>
    public static bool IsExpiredIterator(Exception error) =>
        error is KinesisServiceException { ErrorCode: "ExpiredIteratorException" }
        || error.InnerException is KinesisServiceException { ErrorCode: "ExpiredIteratorException" };

    /// <summary>Compares two sequence numbers of one shard (decimal strings of up to 128 bits).</summary>
    public static int CompareSequenceNumbers(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private Task<T> CallAsync<T>(string what, string operation, Action<Utf8JsonWriter> body, Func<JsonElement, T> read, CancellationToken cancellationToken) =>
        _retry.RunAsync(what, async ct =>
        {
            var payload = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(payload))
            {
                writer.WriteStartObject();
                body(writer);
                writer.WriteEndObject();
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ReadOnlyMemoryContent(payload.WrittenMemory) };
            request.Content.Headers.ContentType = JsonType;
            request.Headers.TryAddWithoutValidation("X-Amz-Target", Target + operation);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Error(response, bytes);
            }

            // CreateStream, SplitShard and the like answer 200 with an empty body.
            using var document = JsonDocument.Parse(bytes.Length == 0 ? "{}"u8.ToArray() : bytes);
            return read(document.RootElement);
        }, cancellationToken);

    private static KinesisServiceException Error(HttpResponseMessage response, byte[] body)
    {
        var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null;
        string code = $"HTTP{(int)response.StatusCode}";
        var message = response.ReasonPhrase ?? "";
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (OptionalString(root, "__type") is { } type)
            {
                // "com.amazonaws.kinesis.v20131202#ResourceNotFoundException" or just the name.
                code = type[(type.LastIndexOf('#') + 1)..];
            }

            message = OptionalString(root, "message") ?? OptionalString(root, "Message") ?? message;
        }
        catch (JsonException)
        {
            // A proxy's or load balancer's page: keep the status line.
        }

        return new KinesisServiceException(message, code, response.StatusCode, requestId);
    }

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
