using System.Diagnostics;
using System.Text;

namespace Clickstream.Tests.Shared;

/// <summary>
/// The built program, <c>jobs/Clickstream.Jobs/bin/&lt;Configuration&gt;/net10.0/clickstream.dll</c>, run as a child
/// process with <c>dotnet</c>, exactly as a user runs it. Nothing is built here: the dll of the same configuration as
/// this test assembly must already exist (the solution build produces it).
/// </summary>
internal static class ClickstreamProgram
{
    private static readonly Lazy<string> RootPath = new(FindRoot);
    private static readonly Lazy<string> DllPath = new(Locate);

    public static string Dll => DllPath.Value;

    /// <summary>Starts the program with redirected output; the caller waits for it or kills it.</summary>
    public static Process Start(params string[] args) =>
        Process.Start(StartInfo(args)) ?? throw new InvalidOperationException("could not start dotnet");

    /// <summary>How to start the program with <paramref name="args"/>, output redirected.</summary>
    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return info;
    }

    /// <summary>Runs the program to completion (at most <paramref name="timeout"/>) and returns its exit code and output.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(TimeSpan timeout, params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await WaitAsync(process, timeout);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Waits for the process to exit; kills it and fails the test when it does not within the timeout.</summary>
    public static async Task WaitAsync(Process process, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"clickstream did not finish within {timeout}");
        }
    }

    /// <summary>The checkout's root folder (the one holding Clickstream.sln), found above the test binaries.</summary>
    public static string RepositoryRoot => RootPath.Value;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Clickstream.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no folder above {AppContext.BaseDirectory} holds Clickstream.sln");
    }

    private static string Locate()
    {
        // bin/<Configuration>/net10.0/[<rid>/] of the test project: the program is built with the same configuration.
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        if (!baseDir.Name.StartsWith("net", StringComparison.Ordinal) && baseDir.Parent is { } frameworkDir)
        {
            baseDir = frameworkDir;
        }

        var framework = baseDir.Name;
        var configuration = baseDir.Parent?.Name ?? throw new InvalidOperationException($"unexpected test folder {baseDir.FullName}");
        var dll = Path.Combine(RepositoryRoot, "jobs", "Clickstream.Jobs", "bin", configuration, framework, "clickstream.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} does not exist: build the solution with -c {configuration} before running these tests", dll);
        }

        return dll;
    }
}
