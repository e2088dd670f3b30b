using System.IO.Enumeration;

namespace Clickstream.Engine.Sources;

/// <summary>
/// The per-run side of a <see cref="FileSource{T}"/>, owned by the driver thread: lists the folder, logs the
/// files of each new batch (<see cref="FileSourceLog"/>) and plans their splits. The log on disk is the only
/// state that matters across runs; in memory there is just the set of logged paths and the frozen listing.
/// </summary>
internal sealed class FileSourceReader<T> : IStreamSourceReader<T>
{
    private readonly FileSource<T> _source;
    private readonly FileSourceLog _log;

    // Every path in any log entry: logged files are never discovered again, whatever happens to them later.
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    private HashSet<string>? _frozen;

    public FileSourceReader(FileSource<T> source, FileSourceLog log)
    {
        _source = source;
        _log = log;
        foreach (var id in log.Ids())
        {
            foreach (var file in log.Read(id))
            {
                _seen.Add(file.Path);
            }
        }
    }

    public string? LatestOffset(string? start)
    {
        var next = FileSourceOffset.Parse(start) + 1;

        // Entry `next` exists when this reader logged it on an earlier call whose batch has not been planned yet,
        // or when a previous run logged it and stopped before writing offsets/N. No batch refers to it either way
        // (offsets only grow and `start` is the last planned one), and its files are already in _seen, so the
        // only correct choice is to reuse it as is: logging a different list would lose its files.
        if (_log.Exists(next))
        {
            return FileSourceOffset.Format(next);
        }

        var files = Discover();
        if (files.Count == 0)
        {
            return start;
        }

        if (!_log.TryCreate(next, files))
        {
            throw new InvalidOperationException(
                $"{_source.Description}: source log entry {_log.PathOf(next)} was created concurrently: another query is using this checkpoint");
        }

        foreach (var file in files)
        {
            _seen.Add(file.Path);
        }

        return FileSourceOffset.Format(next);
    }

    public IReadOnlyList<ISourceSplit<T>> PlanSplits(string? start, string end)
    {
        var from = FileSourceOffset.Parse(start) + 1;
        var to = FileSourceOffset.Parse(end);
        var splits = new List<ISourceSplit<T>>();
        for (var id = from; id <= to; id++)
        {
            foreach (var file in _log.Read(id))
            {
                if (!File.Exists(file.Path))
                {
                    throw FileSplit<T>.Missing(_source, file, id, null);
                }

                AddSplits(splits, file, id);
            }
        }

        return splits;
    }

    public void Commit(string end)
    {
        // Nothing to release: the log is kept (it is the seen-file set) and nothing else is held per batch.
    }

    public void FreezeAvailableData()
    {
        var frozen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in List())
        {
            frozen.Add(file.Path);
        }

        _frozen = frozen;
    }

    public void Dispose()
    {
    }

    private static bool IsEligible(ReadOnlySpan<char> name) =>
        name.Length > 0
        && name[0] != '.'
        && name[0] != '_'
        && !name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase)
        && !name.EndsWith(".temporary", StringComparison.OrdinalIgnoreCase)
        && !name.EndsWith(".partial", StringComparison.OrdinalIgnoreCase);

    private static int CompareAge(FileEntry a, FileEntry b)
    {
        var byTime = a.TimestampMs.CompareTo(b.TimestampMs);

        // Same folder, so comparing paths ordinally compares names.
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Path, b.Path);
    }

    /// <summary>The new files of the next batch, oldest first, within the per-trigger limits.</summary>
    private List<FileEntry> Discover()
    {
        var candidates = new List<FileEntry>();
        foreach (var file in List())
        {
            if (!_seen.Contains(file.Path) && (_frozen is null || _frozen.Contains(file.Path)))
            {
                candidates.Add(file);
            }
        }

        candidates.Sort(CompareAge);
        var options = _source.Options;
        var take = Math.Min(candidates.Count, options.MaxFilesPerTrigger ?? int.MaxValue);
        if (options.MaxBytesPerTrigger is { } maxBytes)
        {
            long total = 0;
            for (var i = 0; i < take; i++)
            {
                // The first file is always taken, so a file bigger than the limit cannot block the source.
                if (i > 0 && total + candidates[i].Size > maxBytes)
                {
                    take = i;
                    break;
                }

                total += candidates[i].Size;
            }
        }

        candidates.RemoveRange(take, candidates.Count - take);
        return candidates;
    }

    /// <summary>The eligible files at the top level of the folder, in listing order.</summary>
    private FileSystemEnumerable<FileEntry> List()
    {
        if (!Directory.Exists(_source.Folder))
        {
            throw new DirectoryNotFoundException($"{_source.Description}: folder {_source.Folder} does not exist");
        }

        return new FileSystemEnumerable<FileEntry>(
            _source.Folder,
            (ref entry) => new FileEntry(entry.ToFullPath(), entry.LastWriteTimeUtc.ToUnixTimeMilliseconds(), entry.Length),
            new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = true })
        {
            ShouldIncludePredicate = (ref entry) => !entry.IsDirectory && IsEligible(entry.FileName),
        };
    }

    private void AddSplits(List<ISourceSplit<T>> splits, FileEntry file, long logId)
    {
        var splitBytes = _source.Options.SplitBytes;
        if (file.IsGzip || file.Size <= splitBytes)
        {
            splits.Add(new FileSplit<T>(_source, file, logId, 0, file.Size));
            return;
        }

        for (long from = 0; from < file.Size; from += splitBytes)
        {
            splits.Add(new FileSplit<T>(_source, file, logId, from, Math.Min(file.Size, from + splitBytes)));
        }
    }
}
