using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Clickstream.Benchmarks.Micro;

/// <summary>Runs the BenchmarkDotNet suite with a job sized for a 2-core machine (a few minutes in all).</summary>
internal static class MicroSuite
{
    public static int Run(string[] args)
    {
        // In-process: no child project to generate, restore and build (that needs the package registry and
        // costs ~6 s per benchmark). Two warm-ups and eight measured iterations keep the whole suite to a
        // few minutes; every benchmark does 10⁵–10⁶ operations per invocation, so iterations are not tiny.
        var job = Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(3), logOutput: true))
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(8)
            .WithId("InProcess")
            .AsDefault();

        // Artifacts (reports, logs) go next to the binaries rather than into whichever folder we were started from.
        var config = DefaultConfig.Instance
            .AddJob(job)
            .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(MicroSuite).Assembly).Run(args, config);
        foreach (var summary in summaries)
        {
            if (summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success))
            {
                return 1;
            }
        }

        return 0;
    }
}
