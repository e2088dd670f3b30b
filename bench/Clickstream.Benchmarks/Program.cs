using Clickstream.Benchmarks.DynamoDb;
using Clickstream.Benchmarks.EndToEnd;
using Clickstream.Benchmarks.Load;
using Clickstream.Benchmarks.Micro;

namespace Clickstream.Benchmarks;

/// <summary>
/// Three modes: <c>micro</c> runs the BenchmarkDotNet suite (parser, dedup state, one windowed batch);
/// <c>e2e</c> runs the throughput harness (generate → <c>clickstream stream</c> as a child process → DuckDB on
/// the same files); <c>load</c> drives the HTTP collector with concurrent NDJSON requests; <c>dynamodb</c> drives the
/// DynamoDB aggregate store with the rows of generated traffic. <c>duckdb-baseline</c> is the harness's own child mode and not meant to be typed.
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage: Clickstream.Benchmarks <mode> [options]

          micro [BenchmarkDotNet args]   BenchmarkDotNet suite, e.g. micro --filter '*Parse*'
          e2e [options]                  end-to-end throughput harness; e2e --help for its options
          load [options]                 collector load generator (events/s, latency); load --help for its options
          dynamodb [options]             DynamoDB aggregate store: rows/s, WCU per million events, writes/s per key

        Run with: dotnet run -c Release --project bench/Clickstream.Benchmarks -- <mode> ...
        """;

    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        var rest = args[1..];
        switch (args[0])
        {
            case "micro":
                return MicroSuite.Run(rest);
            case "e2e":
                return EndToEndHarness.Run(rest);
            case "load":
                return LoadHarness.Run(rest);
            case "dynamodb":
                return DynamoDbBench.Run(rest);
            case DuckDbBaseline.ChildMode:
                return DuckDbBaseline.RunAsChild(rest);
            default:
                Console.Error.WriteLine($"Clickstream.Benchmarks: unknown mode '{args[0]}'");
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }
}
