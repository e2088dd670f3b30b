using System.Globalization;
using Clickstream.Delta.Storage;

namespace Clickstream.Delta.Table;

/// <summary>The files of a <c>_delta_log</c> folder that matter to a reader, parsed from their names.</summary>
internal sealed class LogListing
{
    private LogListing(SortedDictionary<long, ObjectInfo> commits, SortedDictionary<long, List<ObjectInfo>> checkpoints, Dictionary<long, int> partCounts, List<ObjectInfo> others)
    {
        Commits = commits;
        Checkpoints = checkpoints;
        PartCounts = partCounts;
        Others = others;
    }

    /// <summary>Commit files by version.</summary>
    public SortedDictionary<long, ObjectInfo> Commits { get; }

    /// <summary>Complete checkpoints by version (one file, or every part of a multi-part set).</summary>
    public SortedDictionary<long, List<ObjectInfo>> Checkpoints { get; }

    /// <summary>Number of parts of each complete checkpoint (1 for classic).</summary>
    public Dictionary<long, int> PartCounts { get; }

    /// <summary>Other recognised log files (<c>.crc</c>, compacted logs), for cleanup.</summary>
    public List<ObjectInfo> Others { get; }

    public static async Task<LogListing> ReadAsync(IObjectStore store, CancellationToken cancellationToken)
    {
        var commits = new SortedDictionary<long, ObjectInfo>();
        var classic = new SortedDictionary<long, List<ObjectInfo>>();
        var parts = new Dictionary<(long Version, int Total), List<(int Part, ObjectInfo File)>>();
        var others = new List<ObjectInfo>();
        foreach (var file in await store.ListAsync(DeltaPaths.LogFolder, cancellationToken).ConfigureAwait(false))
        {
            var name = file.Key[DeltaPaths.LogFolder.Length..];
            if (name.Contains('/', StringComparison.Ordinal) || name.Length < 21 || !IsDigits(name.AsSpan(0, 20)) || name[20] != '.')
            {
                continue;
            }

            var version = long.Parse(name.AsSpan(0, 20), CultureInfo.InvariantCulture);
            var rest = name[21..];
            if (rest == "json")
            {
                commits[version] = file;
            }
            else if (rest == "checkpoint.parquet")
            {
                classic[version] = [file];
            }
            else if (rest.StartsWith("checkpoint.", StringComparison.Ordinal) && rest.EndsWith(".parquet", StringComparison.Ordinal))
            {
                var middle = rest["checkpoint.".Length..^".parquet".Length].Split('.');
                if (middle.Length == 2 && middle[0].Length == 10 && middle[1].Length == 10 && IsDigits(middle[0]) && IsDigits(middle[1]))
                {
                    var part = int.Parse(middle[0], CultureInfo.InvariantCulture);
                    var total = int.Parse(middle[1], CultureInfo.InvariantCulture);
                    if (!parts.TryGetValue((version, total), out var list))
                    {
                        parts[(version, total)] = list = [];
                    }

                    list.Add((part, file));
                }

                // V2 checkpoints (checkpoint.<uuid>.parquet) need a reader feature this library refuses; ignore.
            }
            else if (rest == "crc" || rest.EndsWith(".compacted.json", StringComparison.Ordinal))
            {
                others.Add(file);
            }
        }

        var partCounts = classic.Keys.ToDictionary(v => v, _ => 1);
        foreach (var ((version, total), list) in parts)
        {
            var distinct = list.Select(p => p.Part).Distinct().Count();
            if (distinct == total && list.All(p => p.Part >= 1 && p.Part <= total) && !classic.ContainsKey(version))
            {
                classic[version] = [.. list.OrderBy(p => p.Part).Select(p => p.File)];
                partCounts[version] = total;
            }
        }

        return new LogListing(commits, classic, partCounts, others);
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
