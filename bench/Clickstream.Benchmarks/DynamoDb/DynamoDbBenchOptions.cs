using Clickstream.Aws.DynamoDb;
using Cli = Clickstream.Jobs.Cli;

namespace Clickstream.Benchmarks.DynamoDb;

/// <summary>Options of the <c>dynamodb</c> mode.</summary>
internal sealed record DynamoDbBenchOptions(
    int Rate,
    int BatchSeconds,
    int Minutes,
    ulong Seed,
    int Writers,
    int Shards,
    IReadOnlyList<AbsoluteWriteMode> Modes,
    string? Keep,
    bool HelpRequested)
{
    public const string Usage = """
        usage: Clickstream.Benchmarks dynamodb [options]

        Drives the DynamoDB aggregate store with the rows the real job emits for generated traffic: generates
        RATE × 60 × MINUTES events (the project's generator, one file per BATCH seconds of event time), runs the
        clickstream query over them in-process recording each batch's store rows, then applies the batches to a fresh
        table per write mode and reports rows/s, write units per million events and the write rate per partition key.
        The table is reached with the standard AWS settings: for DynamoDB Local set AWS_ENDPOINT_URL_DYNAMODB (and any
        AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_REGION).

          --rate N            events per second of traffic (default 50000)
          --batch-seconds S   seconds of traffic per micro-batch, the job's trigger interval (default 10)
          --minutes M         minutes of traffic (default 2)
          --seed S            generator seed (default 42)
          --writers N         parallel write calls (default 16, the store's default)
          --shards N          write shards of top_products (default: the job's, 8)
          --mode M            put | update | both: absolute rows by BatchWriteItem puts or conditional updates (default both)
          --keep DIR          work in DIR and keep the generated files
        """;

    public static DynamoDbBenchOptions Parse(string[] args)
    {
        var cl = Cli.CommandLine.Parse(args, new HashSet<string>(StringComparer.Ordinal));
        var mode = cl.String("mode") ?? "both";
        IReadOnlyList<AbsoluteWriteMode> modes = mode switch
        {
            "put" => [AbsoluteWriteMode.BatchPut],
            "update" => [AbsoluteWriteMode.ConditionalUpdate],
            "both" => [AbsoluteWriteMode.BatchPut, AbsoluteWriteMode.ConditionalUpdate],
            _ => throw new Cli.UsageException($"--mode must be put, update or both, got '{mode}'"),
        };
        var options = new DynamoDbBenchOptions(
            (int)cl.Long("rate", 50_000, 1, 10_000_000),
            (int)cl.Long("batch-seconds", 10, 1, 3600),
            (int)cl.Long("minutes", 2, 1, 60),
            (ulong)cl.Long("seed", 42, 0),
            (int)cl.Long("writers", 16, 1, 256),
            (int)cl.Long("shards", Jobs.Store.AggregateStores.WriteShards[Jobs.Streaming.Metric.TopProducts], 1, 256),
            modes,
            cl.String("keep"),
            cl.HelpRequested);
        cl.EnsureAllUsed();
        return options;
    }
}
