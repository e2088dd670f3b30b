using Clickstream.Delta.Table;
using Clickstream.Jobs.Cli;

namespace Clickstream.Jobs.Lake;

/// <summary>
/// <c>clickstream lake files</c>: the absolute paths of the data files of one version, one per line — the files
/// an engine without Delta support must read (a listing of the folder would include removed and orphaned files).
/// </summary>
internal sealed class FilesAction : ILakeAction
{
    public string Name => "files";

    public async Task<int> RunAsync(CommandLine args, TextWriter output, CancellationToken cancellationToken)
    {
        var path = args.RequiredString("table");
        var version = args.Long("version", -1, 0);
        args.EnsureAllUsed();
        var table = LakeOptions.Open(path);
        var snapshot = await table.GetSnapshotAsync(version < 0 ? null : version, cancellationToken);
        foreach (var file in TableReader.LocateFiles(table, snapshot))
        {
            output.WriteLine(file);
        }

        return 0;
    }
}
