using System.Diagnostics;
using System.Text;

namespace Clickstream.Dashboard.Tests.Support;

/// <summary>A running <c>clickstream dashboard</c> on a free loopback port; killed on dispose unless it has exited.</summary>
internal sealed class DashboardProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _url = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DashboardProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, isStdout: true);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, isStdout: false);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri Url { get; private set; } = null!;

    public Process Process => _process;

    /// <summary>Everything the program printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the dashboard over <paramref name="store"/> and waits for the URL it prints.</summary>
    public static async Task<DashboardProcess> StartAsync(string store, string? checkpoint = null)
    {
        var args = new List<string> { "dashboard", "--store", store, "--port", "0" };
        if (checkpoint is not null)
        {
            args.AddRange(["--checkpoint", checkpoint]);
        }

        var info = ClickstreamProgram.StartInfo([.. args]);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        var dashboard = new DashboardProcess(process);
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(dashboard._url.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != dashboard._url.Task)
        {
            await dashboard.DisposeAsync();
            Assert.Fail($"clickstream dashboard did not print its URL within 60 s:\n{dashboard.Output}");
        }

        dashboard.Url = await dashboard._url.Task;
        return dashboard;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? line, bool isStdout)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        const string Prefix = "dashboard: http";
        if (isStdout && line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            var url = line["dashboard: ".Length..].Split(' ', 2)[0];
            _url.TrySetResult(new Uri(url));
        }
    }
}
