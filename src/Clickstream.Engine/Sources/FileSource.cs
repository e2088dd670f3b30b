namespace Clickstream.Engine.Sources;

/// <summary>
/// Spark's file stream source for newline-delimited JSON: each batch reads the files that appeared in
/// <see cref="Folder"/> since the previous one. The list of files of every batch is logged under the source's
/// checkpoint folder (<c>docs/formats/file-source-log.md</c>) before the batch runs, so a re-run batch reads the
/// same files and a restarted query never reads a processed file again.
/// </summary>
/// <remarks>
/// <para>Discovery looks at the top level of the folder only. It ignores hidden files (names starting with
/// <c>.</c> or <c>_</c>) and in-progress files (names ending with <c>.tmp</c>, <c>.temporary</c> or
/// <c>.partial</c>): writers should create a file under such a name and rename it when it is complete, because a
/// file is read at the size it had when it was discovered. New files are taken oldest first (last write time,
/// then name).</para>
/// <para>A file is identified by its path: once processed, a file rewritten under the same name is not read
/// again, as in Spark.</para>
/// <para>Files ending with <c>.gz</c> are gzip-compressed; others are plain UTF-8. Lines end with <c>\n</c>; a
/// trailing <c>\r</c> is removed; a final line without <c>\n</c> is still a line. Blank (empty or
/// whitespace-only) lines are not events and are skipped.</para>
/// </remarks>
/// <typeparam name="T">The row type the decoder produces.</typeparam>
public sealed class FileSource<T> : IStreamSource<T>
{
    /// <summary>Creates the source definition.</summary>
    /// <param name="folder">The folder to watch. It must exist when the query runs.</param>
    /// <param name="decoderFactory">Creates a decoder for each split read (decoders need not be thread-safe).</param>
    /// <param name="options">Limits and tuning; defaults when null.</param>
    public FileSource(string folder, Func<ILineDecoder<T>> decoderFactory, FileSourceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(decoderFactory);
        options ??= new FileSourceOptions();
        options.Validate();
        Folder = Path.GetFullPath(folder);
        DecoderFactory = decoderFactory;
        Options = options;
        Description = $"FileSource[{folder}]";
    }

    /// <summary>The absolute path of the watched folder.</summary>
    public string Folder { get; }

    /// <summary>The source's limits and tuning.</summary>
    public FileSourceOptions Options { get; }

    /// <inheritdoc />
    public string Description { get; }

    internal Func<ILineDecoder<T>> DecoderFactory { get; }

    /// <inheritdoc />
    public IStreamSourceReader<T> CreateReader(SourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new FileSourceReader<T>(this, new FileSourceLog(context.Metadata));
    }
}
