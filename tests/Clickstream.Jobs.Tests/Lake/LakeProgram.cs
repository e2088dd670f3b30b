namespace Clickstream.Jobs.Tests.Lake;

/// <summary>Runs <c>clickstream lake …</c> as a child process.</summary>
internal static class LakeProgram
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        ClickstreamProgram.RunAsync(Timeout, ["lake", .. args]);

    /// <summary>Runs and fails the test unless the exit code is 0; returns standard output.</summary>
    public static async Task<string> RunOkAsync(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(args);
        Assert.True(code == 0, $"clickstream lake {string.Join(' ', args)} exited with {code}:\n{stdout}\n{stderr}");
        return stdout;
    }
}
