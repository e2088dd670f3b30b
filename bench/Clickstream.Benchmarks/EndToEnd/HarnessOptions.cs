using Clickstream.Jobs.Cli;
using JobCommandLine = Clickstream.Jobs.Cli.CommandLine;

namespace Clickstream.Benchmarks.EndToEnd;

/// <summary>The e2e harness's options, parsed with the job's own option parser.</summary>
internal sealed record HarnessOptions
{
    public const string Usage = """
        usage: Clickstream.Benchmarks e2e [options]

        Generates N events as NDJSON files, runs `clickstream stream --trigger available-now` over them as a child
        process (wall time, events/s, peak RSS, dedup state bytes per key), then runs the comparable DuckDB query
        on the same files in a second child process, and prints both with the ratio and the targets.

          --events N          lines to generate, every kind included (default 2000000)
          --files K           number of files (default 16)
          --seed S            generator seed (default 42)
          --runs R            run each engine R times, alternating, and report the median (default 1)
          --keep DIR          work in DIR (input/, checkpoint/, store.db) and keep it; DIR/input must hold no events
          --clickstream PATH  the clickstream.dll to run (default: the one built next to this program)
          --duckdb-dedup M    first (default): DuckDB keeps each event_id's first line, like the job;
                              any: an arbitrary one (cheaper; same result when retries are identical copies)
          --skip-duckdb       run the job only
          --lake              run the job with the lake sink on (`--lake DIR`): raw events and quarantine written
                              as Delta tables; reports Parquet bytes per event
          --restart           afterwards, start the job again on the same checkpoint (no new data) and time the
                              recovery: loading the state of the whole run back
        """;

    public long Events { get; init; } = 2_000_000;

    public int Files { get; init; } = 16;

    public ulong Seed { get; init; } = 42;

    public int Runs { get; init; } = 1;

    public string? Keep { get; init; }

    public required string ClickstreamDll { get; init; }

    public bool SkipDuckDb { get; init; }

    public string DuckDbDedup { get; init; } = "first";

    public bool Restart { get; init; }

    public bool Lake { get; init; }

    public bool HelpRequested { get; init; }

    public static HarnessOptions Parse(string[] args)
    {
        var line = JobCommandLine.Parse(args, new HashSet<string>(StringComparer.Ordinal) { "skip-duckdb", "restart", "lake" });
        var options = new HarnessOptions
        {
            Events = line.Long("events", 2_000_000, 1, 1_000_000_000),
            Files = (int)line.Long("files", 16, 1, 100_000),
            Seed = unchecked((ulong)line.Long("seed", 42)),
            Runs = (int)line.Long("runs", 1, 1, 25),
            Keep = line.String("keep"),
            ClickstreamDll = Path.GetFullPath(line.String("clickstream") ?? Path.Combine(AppContext.BaseDirectory, "clickstream.dll")),
            SkipDuckDb = line.Flag("skip-duckdb"),
            DuckDbDedup = line.String("duckdb-dedup") ?? "first",
            Restart = line.Flag("restart"),
            Lake = line.Flag("lake"),
            HelpRequested = line.HelpRequested,
        };
        line.EnsureAllUsed();
        if (options.Files > options.Events)
        {
            throw new UsageException($"--files ({options.Files}) cannot be more than --events ({options.Events})");
        }

        if (options.DuckDbDedup is not ("first" or "any"))
        {
            throw new UsageException($"--duckdb-dedup must be first or any, got '{options.DuckDbDedup}'");
        }

        if (!File.Exists(options.ClickstreamDll))
        {
            throw new UsageException($"{options.ClickstreamDll} does not exist; build jobs/Clickstream.Jobs or pass --clickstream");
        }

        return options;
    }
}
