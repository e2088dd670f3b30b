using System.Diagnostics;
using System.Globalization;
using Clickstream.Jobs.Tests.Support;

namespace Clickstream.Jobs.Tests.Streaming;

/// <summary>
/// A continuously running job stops cleanly on SIGTERM (what service managers and containers send): it exits 0,
/// reports its totals, and leaves every planned batch committed.
/// </summary>
public sealed class GracefulStopTests
{
    [Fact]
    public async Task Stream_SigtermWhileRunning_ExitsZeroWithEveryPlannedBatchCommitted()
    {
        using var folder = new TempFolder("stop");
        var input = folder.PathOf("input");
        await JobCommands.GenerateAsync("--out", input, "--events", "20000", "--files", "4");
        var checkpoint = folder.PathOf("checkpoint");
        using var process = ClickstreamProgram.Start(
            "stream", "--input", input, "--checkpoint", checkpoint, "--store", folder.PathOf("store.db"), "--trigger", "200ms", "--max-files-per-trigger", "1");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        // Wait until it has processed some data, then ask it to stop.
        var waited = Stopwatch.StartNew();
        while (CheckpointReader.CommitCount(checkpoint) < 2 && !process.HasExited && waited.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(20);
        }

        if (process.HasExited)
        {
            Assert.Fail("the job exited before it was asked to stop: " + await stderr);
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
            Assert.Equal(0, kill.ExitCode);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);

        var output = await stdout;
        Assert.True(process.ExitCode == 0, await stderr);
        Assert.Contains("input rows in", output, StringComparison.Ordinal);
        Assert.Equal(CheckpointReader.OffsetCount(checkpoint), CheckpointReader.CommitCount(checkpoint));
        Assert.True(CheckpointReader.CommitCount(checkpoint) >= 2, string.Create(CultureInfo.InvariantCulture, $"only {CheckpointReader.CommitCount(checkpoint)} commits"));
    }
}
