using System.Text;
using System.Text.Json.Nodes;

namespace Clickstream.Aws.Tests.Kinesis;

/// <summary>
/// Stands between the client and kinesalite (which never throttles) and makes Kinesis's partial failures happen:
/// for the first <paramref name="calls"/> PutRecords calls it keeps every other record (or, with
/// <paramref name="everyRecord"/>, every record) back from the emulator and answers for it
/// <c>ProvisionedThroughputExceededException</c>, as Kinesis does when a shard is over its limit.
/// </summary>
internal sealed class ThrottlingHandler(int calls, bool everyRecord = false) : DelegatingHandler(new SocketsHttpHandler())
{
    private int _remaining = calls;

    public int Throttled { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.Single() : "";
        if (!target.EndsWith(".PutRecords", StringComparison.Ordinal) || Interlocked.Decrement(ref _remaining) < 0)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject();
        var records = body["Records"]!.AsArray();
        var kept = new JsonArray();
        var refused = new bool[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            refused[i] = everyRecord || i % 2 == 1;
            if (!refused[i])
            {
                kept.Add(records[i]!.DeepClone());
            }
        }

        JsonArray answered = [];
        if (kept.Count > 0)
        {
            body["Records"] = kept;
            using var forward = new HttpRequestMessage(HttpMethod.Post, request.RequestUri) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
            forward.Content.Headers.ContentType = request.Content.Headers.ContentType;
            foreach (var header in request.Headers)
            {
                forward.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            using var response = await base.SendAsync(forward, cancellationToken);
            answered = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!["Records"]!.AsArray();
        }

        var merged = new JsonArray();
        var next = 0;
        for (var i = 0; i < refused.Length; i++)
        {
            if (refused[i])
            {
                Throttled++;
                merged.Add(new JsonObject { ["ErrorCode"] = "ProvisionedThroughputExceededException", ["ErrorMessage"] = "Rate exceeded for shard shardId-000000000000" });
            }
            else
            {
                merged.Add(answered[next++]!.DeepClone());
            }
        }

        var answer = new JsonObject { ["FailedRecordCount"] = refused.Count(r => r), ["Records"] = merged };
        return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(answer.ToJsonString(), Encoding.UTF8, "application/x-amz-json-1.1") };
    }
}
