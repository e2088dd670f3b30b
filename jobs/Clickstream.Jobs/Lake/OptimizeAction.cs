using Clickstream.Delta.Maintenance;
using Clickstream.Jobs.Cli;

namespace Clickstream.Jobs.Lake;

/// <summary><c>clickstream lake optimize</c>: compacts the small files of closed days.</summary>
internal sealed class OptimizeAction : ILakeAction
{
    public string Name => "optimize";

    public async Task<int> RunAsync(CommandLine args, TextWriter output, CancellationToken cancellationToken)
    {
        var path = args.RequiredString("table");
        var date = LakeOptions.Date(args, "date");
        var target = args.Long("target-file-size", Optimize.DefaultTargetFileBytes, 1, long.MaxValue);
        args.EnsureAllUsed();
        var table = LakeOptions.Open(path);
        var scope = date is { } d ? $"day {d:yyyy-MM-dd}" : "closed days";
        output.WriteLine($"optimize {path}: {scope}, target {TextTable.Bytes(target)} per file");
        var options = new OptimizeOptions { Progress = new LineProgress(output) };
        var result = await Optimize.RunAsync(table, date, target, TimeProvider.System.GetUtcNow(), options, cancellationToken);
        if (result.Version is not { } version)
        {
            output.WriteLine("nothing to compact");
            return 0;
        }

        var rows = new TextTable("partition", "files before>", "bytes before>", "files after>", "bytes after>", "records>");
        foreach (var p in result.Partitions)
        {
            rows.Add(p.Directory, TextTable.Number(p.FilesRemoved), TextTable.Number(p.BytesRemoved), TextTable.Number(p.FilesAdded), TextTable.Number(p.BytesAdded), TextTable.Number(p.Records));
        }

        rows.WriteTo(output);
        output.WriteLine($"compacted {TextTable.Number(result.FilesRemoved)} files into {TextTable.Number(result.FilesAdded)} ({TextTable.Number(result.Records)} records) in version {TextTable.Number(version)}");
        return 0;
    }
}
