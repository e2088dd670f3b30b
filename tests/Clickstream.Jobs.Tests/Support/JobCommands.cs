using System.Globalization;
using Clickstream.Jobs.Cli;
using Clickstream.Jobs.Generate;
using Clickstream.Jobs.Report;
using Clickstream.Jobs.Streaming;

namespace Clickstream.Jobs.Tests.Support;

/// <summary>
/// Runs the program's commands in this process exactly as <c>Program.Main</c> does after choosing one (parse the
/// options, run), but with the output captured instead of written to the console.
/// </summary>
internal static class JobCommands
{
    /// <summary>Runs <paramref name="command"/> with <paramref name="args"/>; fails the test unless it exits with 0.</summary>
    public static async Task<string> RunAsync(ICommand command, params string[] args)
    {
        var (code, output) = await TryRunAsync(command, args);
        Assert.True(code == 0, $"clickstream {command.Name} {string.Join(' ', args)} exited with {code}:\n{output}");
        return output;
    }

    public static async Task<(int Code, string Output)> TryRunAsync(ICommand command, params string[] args)
    {
        var parsed = CommandLine.Parse(args, command.Flags);
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        var code = await command.RunAsync(parsed, output, CancellationToken.None);
        return (code, output.ToString());
    }

    public static Task<string> GenerateAsync(params string[] args) => RunAsync(new GenerateCommand(), args);

    /// <summary>
    /// <c>stream --trigger available-now --max-files-per-trigger 1</c>: each file is one batch, then a no-data batch
    /// when the watermark moved.
    /// </summary>
    public static Task<string> StreamEachFileAsync(string input, string checkpoint, string store, string? watermark = null)
    {
        string[] args = ["--input", input, "--checkpoint", checkpoint, "--store", store, "--trigger", "available-now", "--max-files-per-trigger", "1"];
        return RunAsync(new StreamCommand(), watermark is null ? args : [.. args, "--watermark", watermark]);
    }

    /// <summary>The raw export text (one JSON object per line).</summary>
    public static Task<string> ExportTextAsync(string store) => RunAsync(new ExportCommand(), "--store", store);

    public static async Task<IReadOnlyList<ExportRow>> ExportAsync(string store) => ExportRow.ParseAll(await ExportTextAsync(store));

    public static Task<string> MetricsAsync(params string[] args) => RunAsync(new MetricsCommand(), args);
}
