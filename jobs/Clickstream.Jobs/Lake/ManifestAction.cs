using Clickstream.Delta.Maintenance;
using Clickstream.Jobs.Cli;

namespace Clickstream.Jobs.Lake;

/// <summary><c>clickstream lake manifest</c>: writes every Redshift Spectrum symlink manifest of the table.</summary>
internal sealed class ManifestAction : ILakeAction
{
    public string Name => "manifest";

    public async Task<int> RunAsync(CommandLine args, TextWriter output, CancellationToken cancellationToken)
    {
        var path = args.RequiredString("table");
        args.EnsureAllUsed();
        var table = LakeOptions.Open(path);
        var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken);
        var result = await SymlinkManifest.GenerateAsync(table, snapshot, cancellationToken);
        foreach (var key in result.Written)
        {
            output.WriteLine($"  wrote   {key}");
        }

        foreach (var key in result.Deleted)
        {
            output.WriteLine($"  deleted {key}");
        }

        output.WriteLine($"manifest {path}: version {TextTable.Number(result.Version)}, {TextTable.Number(result.Written.Count)} manifests written, {TextTable.Number(result.Deleted.Count)} deleted");
        if (!SymlinkManifest.IsEnabled(snapshot))
        {
            output.WriteLine($"note: {SymlinkManifest.EnabledProperty} is not set, so writers do not keep these manifests up to date after their commits");
        }

        return 0;
    }
}
