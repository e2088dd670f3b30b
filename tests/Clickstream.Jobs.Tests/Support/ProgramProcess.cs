using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Clickstream.Jobs.Tests.Support;

/// <summary>What the tests that run <c>clickstream</c> as a child process (kill loops, <c>up</c>) do with it.</summary>
internal static partial class ProgramProcess
{
    /// <summary>Whether the process exits within <paramref name="milliseconds"/>.</summary>
    public static async Task<bool> ExitsWithinAsync(Process process, int milliseconds)
    {
        using var timeout = new CancellationTokenSource(milliseconds);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits until <paramref name="planned"/> exceeds <paramref name="plannedBefore"/> (a new batch is planned); true if the process exited first.</summary>
    public static async Task<bool> PlansOrExitsAsync(Process process, Func<Task<int>> planned, int plannedBefore, TimeSpan timeout, int pollMilliseconds)
    {
        var deadline = Stopwatch.StartNew();
        while (!process.HasExited && await planned() <= plannedBefore && deadline.Elapsed < timeout)
        {
            await Task.Delay(pollMilliseconds);
        }

        return process.HasExited;
    }

    /// <summary>
    /// Starts <c>clickstream</c> with <paramref name="args"/> again and again, SIGKILLing each run
    /// <paramref name="killAfterMs"/> (cycled) after it planned a new batch, until <paramref name="kills"/> runs were
    /// killed mid-way (or 6 × as many attempts); runs that finish first must exit 0. Returns the commits counted at
    /// each kill.
    /// </summary>
    public static async Task<List<int>> KillRepeatedlyAsync(string[] args, Func<Task<int>> planned, Func<Task<int>> commits, int kills, int[] killAfterMs, TimeSpan timeout)
    {
        var commitsAtKill = new List<int>();
        for (var attempt = 0; commitsAtKill.Count < kills && attempt < 6 * kills; attempt++)
        {
            var plannedBefore = await planned();
            using var process = ClickstreamProgram.Start(args);
            var stdout = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (await PlansOrExitsAsync(process, planned, plannedBefore, timeout, 5) || await ExitsWithinAsync(process, killAfterMs[attempt % killAfterMs.Length]))
            {
                await stdout;
                Assert.True(process.ExitCode == 0, await errors);
                continue;
            }

            process.Kill(); // SIGKILL: no chance to clean up.
            await process.WaitForExitAsync();
            await Task.WhenAll(stdout, errors);
            commitsAtKill.Add(await commits());
        }

        return commitsAtKill;
    }

    /// <summary>The collector URL that <c>clickstream up</c> prints on its standard output.</summary>
    public static async Task<Uri> ReadCollectorUrlAsync(Process up, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var line = await up.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("clickstream up exited before printing its URLs");
            if (CollectorLine().Match(line) is { Success: true } m)
            {
                return new Uri(m.Groups[1].Value);
            }
        }

        throw new TimeoutException("clickstream up printed no collector URL");
    }

    /// <summary>Posts <paramref name="lines"/> as one NDJSON request and asserts the collector accepted it.</summary>
    public static async Task PostAsync(HttpClient http, IEnumerable<byte[]> lines)
    {
        var body = new MemoryStream();
        foreach (var line in lines)
        {
            body.Write(line);
            body.WriteByte((byte)'\n');
        }

        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        using var response = await http.PostAsync("v1/events", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [GeneratedRegex(@"collector\s+(http://[^\s]+/)v1/events")]
    private static partial Regex CollectorLine();
}
