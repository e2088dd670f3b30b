using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Clickstream.Jobs.Generate;

namespace Clickstream.Jobs.Up;

/// <summary>
/// Posts generated events to a collector at a steady rate, with event times that follow the wall clock (the
/// generator's timeline is stretched so that its events per second equal the rate). Requests carry up to
/// <see cref="EventsPerRequest"/> NDJSON lines; a 503 or a connection failure is retried with the same body after
/// a pause, so no generated event is skipped.
/// </summary>
internal sealed class TrafficSimulator(Uri collector, string writeKey, double eventsPerSecond, TimeProvider clock)
{
    public const int EventsPerRequest = 100;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private static readonly MediaTypeHeaderValue Ndjson = new("application/x-ndjson");

    public long EventsSent { get; private set; }

    public long RequestsRetried { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(eventsPerSecond);
        const int hours = 24;
        var start = clock.GetUtcNow();
        var generator = new EventGenerator(new GenerateOptions
        {
            OutputDirectory = "",
            Events = Math.Max(1, (long)(eventsPerSecond * hours * 3600)),
            Seed = (ulong)start.ToUnixTimeMilliseconds(),
            Start = start,
            Minutes = hours * 60,
        });
        using var http = new HttpClient { BaseAddress = collector, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", writeKey);
        var elapsed = Stopwatch.StartNew();
        var body = new MemoryStream();
        while (!cancellationToken.IsCancellationRequested && generator.HasMore)
        {
            var due = (long)(elapsed.Elapsed.TotalSeconds * eventsPerSecond);
            while (EventsSent < due && generator.HasMore && !cancellationToken.IsCancellationRequested)
            {
                body.SetLength(0);
                var n = (int)Math.Min(EventsPerRequest, due - EventsSent);
                for (var i = 0; i < n && generator.HasMore; i++)
                {
                    body.Write(generator.NextLine(out _));
                    body.WriteByte((byte)'\n');
                }

                await PostAsync(http, body.ToArray(), cancellationToken).ConfigureAwait(false);
                EventsSent += n;
            }

            await Task.Delay(Tick, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PostAsync(HttpClient http, byte[] body, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = Ndjson;
                using var response = await http.PostAsync("v1/events", content, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    return;
                }

                if (response.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests))
                {
                    var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    throw new InvalidOperationException($"the collector refused simulated events: {(int)response.StatusCode} {text}");
                }
            }
            catch (HttpRequestException) when (attempt < 100)
            {
                // The collector may still be starting or restarting: retry the same body.
            }

            RequestsRetried++;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * (attempt + 1))), cancellationToken).ConfigureAwait(false);
        }
    }
}
