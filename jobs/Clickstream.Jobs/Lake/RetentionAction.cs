using Clickstream.Delta.Maintenance;
using Clickstream.Jobs.Cli;

namespace Clickstream.Jobs.Lake;

/// <summary><c>clickstream lake retention</c>: removes the days older than the retention in one DELETE commit.</summary>
internal sealed class RetentionAction : ILakeAction
{
    public string Name => "retention";

    public async Task<int> RunAsync(CommandLine args, TextWriter output, CancellationToken cancellationToken)
    {
        var path = args.RequiredString("table");
        var days = (int)LakeOptions.RequiredLong(args, "days", 0, 100_000);
        args.EnsureAllUsed();
        var table = LakeOptions.Open(path);
        var result = await Retention.RunAsync(table, days, TimeProvider.System.GetUtcNow(), cancellationToken);
        if (result.Version is not { } version)
        {
            output.WriteLine($"retention {path}: nothing to do, no file is dated before {result.Cutoff:yyyy-MM-dd}");
            return 0;
        }

        var records = result.RecordsRemoved is { } r ? $", {TextTable.Number(r)} records" : "";
        var span = result.Dates.Count == 1 ? $"{result.Dates[0]:yyyy-MM-dd}" : $"{result.Dates[0]:yyyy-MM-dd} .. {result.Dates[^1]:yyyy-MM-dd}";
        output.WriteLine($"retention {path}: removed {TextTable.Number(result.FilesRemoved)} files ({TextTable.Bytes(result.BytesRemoved)}{records}) of {TextTable.Number(result.Dates.Count)} days ({span}) before {result.Cutoff:yyyy-MM-dd} in version {TextTable.Number(version)}");
        if (result.Manifests is { } m)
        {
            output.WriteLine($"manifests: {TextTable.Number(m.Deleted.Count)} deleted, {TextTable.Number(m.Written.Count)} rewritten");
        }

        output.WriteLine("the files stay on storage until `clickstream lake vacuum` runs after the table's deleted-file retention");
        return 0;
    }
}
