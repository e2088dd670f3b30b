using Clickstream.Delta.Maintenance;
using Clickstream.Jobs.Cli;

namespace Clickstream.Jobs.Lake;

/// <summary><c>clickstream lake vacuum</c>: deletes the data files the table no longer needs.</summary>
internal sealed class VacuumAction : ILakeAction
{
    public string Name => "vacuum";

    public async Task<int> RunAsync(CommandLine args, TextWriter output, CancellationToken cancellationToken)
    {
        var path = args.RequiredString("table");
        var retain = LakeOptions.RequiredDuration(args, "retain");
        var dryRun = args.Flag("dry-run");
        var force = args.Flag("force");
        args.EnsureAllUsed();
        var table = LakeOptions.Open(path);
        output.WriteLine($"vacuum {path}: retention {args.String("retain")}{(dryRun ? ", dry run" : "")}");
        var options = new VacuumOptions { Force = force, Progress = new LineProgress(output) };
        var result = await Vacuum.RunAsync(table, retain, dryRun, TimeProvider.System.GetUtcNow(), options, cancellationToken);

        if (result.Count > 0)
        {
            var files = new TextTable("file", "bytes>", "modified");
            foreach (var file in result.Files)
            {
                files.Add(file.Key, TextTable.Number(file.Size), TextTable.Instant(file.LastModified));
            }

            files.WriteTo(output);
        }

        var verb = result.DryRun ? "would delete" : "deleted";
        output.WriteLine($"{verb} {TextTable.Number(result.Count)} files, {TextTable.Bytes(result.Bytes)}, of {TextTable.Number(result.FilesScanned)} data files (version {TextTable.Number(result.Version)}, cutoff {TextTable.Instant(result.Cutoff)})");
        return 0;
    }
}
