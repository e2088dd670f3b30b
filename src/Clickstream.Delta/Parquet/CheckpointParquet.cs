using Clickstream.Delta.Log;
using Parquet;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// Writes and reads classic (V1, single-file or one part of a multi-part) checkpoints: one Parquet row per action in
/// Spark's exact column layout (protocol notes §4): top-level nullable structs <c>txn, add, remove, metaData,
/// protocol, domainMetadata</c>, root <c>spark_schema</c>, maps as <c>MAP key_value</c>, lists as
/// <c>LIST list { element }</c>, deletion-vector and row-tracking fields present but null, <c>add.stats</c> kept as
/// the JSON string.
/// </summary>
public static class CheckpointParquet
{
    /// <summary>The most rows in one row group of a checkpoint.</summary>
    private const int RowsPerRowGroup = 1 << 17;

    /// <summary>
    /// Writes <paramref name="actions"/> as a checkpoint file, one row each in the given order; the row count (the
    /// <c>_last_checkpoint</c> <c>size</c>) is <c>actions.Count</c>.
    /// </summary>
    /// <param name="actions">Exactly one protocol and one metaData, plus txn, add, remove and domainMetadata actions.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">A commitInfo or cdc action, or not exactly one protocol and one metaData.</exception>
    public static async Task<byte[]> WriteAsync(IReadOnlyCollection<DeltaAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var protocols = actions.Count(a => a is ProtocolAction);
        var metadata = actions.Count(a => a is MetadataAction);
        if (protocols != 1 || metadata != 1)
        {
            throw new ArgumentException($"a checkpoint holds exactly one protocol and one metaData action, not {protocols} and {metadata}", nameof(actions));
        }

        var striper = new RowStriper(CheckpointSchema.Schema);
        using var output = new PooledBufferStream();
        await using (var writer = await ParquetWriter.CreateAsync(striper.Schema, output, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }, append: false, cancellationToken).ConfigureAwait(false))
        {
            var pending = 0;
            foreach (var action in actions)
            {
                striper.Add(CheckpointRows.ToRow(action ?? throw new ArgumentException("an action is null", nameof(actions))));
                if (++pending == RowsPerRowGroup)
                {
                    await striper.WriteRowGroupAsync(writer, cancellationToken).ConfigureAwait(false);
                    pending = 0;
                }
            }

            if (pending > 0)
            {
                await striper.WriteRowGroupAsync(writer, cancellationToken).ConfigureAwait(false);
            }
        }

        return ParquetFooter.RenameRoot(output.ToArray(), "spark_schema");
    }

    /// <summary>
    /// Reads the actions of a checkpoint file (or of one part of a multi-part checkpoint), in row order. Columns and
    /// fields are matched by name, so checkpoints of older Spark versions (without <c>domainMetadata</c> or
    /// deletion-vector fields) and extra columns (<c>add.stats_parsed</c>) read too. Null partition values stay null.
    /// </summary>
    /// <exception cref="DeltaFormatException">
    /// The file is not a readable checkpoint: not Parquet, a row with several actions, a missing required field, or
    /// a deletion vector.
    /// </exception>
    public static async Task<IReadOnlyList<DeltaAction>> ReadAsync(byte[] checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var rows = await DataFileReader.ReadAsync(new MemoryStream(checkpoint, writable: false), CheckpointSchema.Schema, cancellationToken).ConfigureAwait(false);
        var actions = new List<DeltaAction>(rows.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            // A row without any action carries nothing to replay.
            if (CheckpointRows.FromRow(rows[r], r) is { } action)
            {
                actions.Add(action);
            }
        }

        return actions;
    }

    /// <summary>The number of rows of a checkpoint file (its <c>_last_checkpoint</c> <c>size</c>), from the footer alone.</summary>
    /// <exception cref="DeltaFormatException">The file is not Parquet.</exception>
    public static Task<long> ReadRowCountAsync(byte[] checkpoint, CancellationToken cancellationToken = default) =>
        DataFileReader.ReadRowCountAsync(checkpoint, cancellationToken);
}
