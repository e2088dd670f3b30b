using Clickstream.Delta;
using Clickstream.Delta.Table;
using Clickstream.Jobs.Cli;

namespace Clickstream.Jobs.Lake;

/// <summary>
/// <c>clickstream lake</c>: looks after the Delta tables the job writes — describe, history, compaction, vacuum,
/// the retention policy and the Redshift Spectrum manifests.
/// </summary>
internal sealed class LakeCommand : ICommand
{
    private static readonly ILakeAction[] Actions =
    [
        new DescribeAction(),
        new HistoryAction(),
        new OptimizeAction(),
        new VacuumAction(),
        new RetentionAction(),
        new ManifestAction(),
        new FilesAction(),
    ];

    public string Name => "lake";

    public string Summary => "look after a Delta table: describe, history, optimize, vacuum, retention, manifest, files";

    public IReadOnlySet<string> Flags { get; } = new HashSet<string>(["json", "dry-run", "force"], StringComparer.Ordinal);

    public string Usage => """
        usage: clickstream lake ACTION --table DIR|s3://BUCKET/PREFIX [options]

        Looks after a Delta table (such as the events and quarantine tables under `clickstream stream --lake DIR`).
        Exactly one action:

          describe --table DIR [--json]
              Location, version, protocol, id, schema, partitioning, properties, files and bytes, per-partition
              files, bytes and rows (from the files' stats), latest checkpoint, streaming application versions.

          history --table DIR [--limit N] [--json]
              The commits, newest first (at most N; default all): version, time, operation, files added and
              removed, bytes added, parameters.

          optimize --table DIR [--date YYYY-MM-DD] [--target-file-size BYTES]
              Compacts the small files of each closed day (every day before today, UTC) into files of about
              BYTES (default 536870912 = 512 MiB), in one commit that does not change the data
              (dataChange=false). --date compacts that day only, today included. Days with one file are skipped.

          vacuum --table DIR --retain DURATION [--dry-run] [--force]
              Deletes the data files the latest version does not reference (removed files and orphans of failed
              writes) once they are older than DURATION (168h, 7d, 30m, '1 week'). The log and the manifests are
              never touched. A retention below the table's delta.deletedFileRetentionDuration (default 7 days) is
              refused unless --force. --dry-run lists the files without deleting them.

          retention --table DIR --days N
              Removes (one DELETE commit) every file of the days before today (UTC) minus N days, by the table's
              date partition column; VACUUM deletes them physically later. Updates the Spectrum manifests when the
              table keeps them.

          manifest --table DIR
              Writes the Redshift Spectrum symlink manifests of every partition
              (_symlink_format_manifest/<partition>/manifest) and deletes those of partitions without files.

          files --table DIR [--version N]
              The absolute paths of the data files of the latest version (or version N), one per line: what an
              engine without Delta support (e.g. DuckDB's read_parquet) should read. Never list the folder itself.

          --json     machine-readable output (describe, history)
          --help     show this text

        Exit codes: 0 done, 1 error (missing table, conflict with a concurrent writer, refused retention),
        2 usage error.
        """;

    public async Task<int> RunAsync(CommandLine args, TextWriter output, CancellationToken cancellationToken)
    {
        var names = string.Join(", ", Actions.Select(a => a.Name));
        var name = args.Positional(0) ?? throw new UsageException($"name an action: one of {names}");
        var action = Actions.FirstOrDefault(a => a.Name == name) ?? throw new UsageException($"unknown action '{name}': one of {names}");
        try
        {
            return await action.RunAsync(args, output, cancellationToken);
        }
        catch (DeltaTableNotFoundException)
        {
            throw new InvalidOperationException($"{args.String("table")} is not a Delta table");
        }
        catch (DeltaFormatException e)
        {
            // Conflicts, refusals and damaged logs: the message says what happened; nothing was half done.
            throw new InvalidOperationException(e.Message, e);
        }
    }
}
