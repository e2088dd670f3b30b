using System.Globalization;
using Clickstream.Engine.Checkpointing;

namespace Clickstream.Engine.State;

/// <summary>
/// Which files make up a version of one partition's state: the newest snapshot at or below the version, then
/// every delta after it. Also removes files no longer needed once a newer snapshot is old enough.
/// </summary>
internal static class StateVersions
{
    /// <summary>Returns (snapshot version or 0 for "start empty", the deltas to apply in order).</summary>
    public static (long Snapshot, List<long> Deltas) Plan(CheckpointFolder dir, long version)
    {
        var snapshots = new List<long>();
        var deltas = new HashSet<long>();
        {
            foreach (var name in dir.List())
            {
                if (name.EndsWith(".snapshot", StringComparison.Ordinal) && TryVersion(name, ".snapshot", out var s) && s <= version)
                {
                    snapshots.Add(s);
                }
                else if (name.EndsWith(".delta", StringComparison.Ordinal) && TryVersion(name, ".delta", out var d) && d <= version)
                {
                    deltas.Add(d);
                }
            }
        }

        var start = snapshots.Count == 0 ? 0 : snapshots.Max();
        var chain = new List<long>();
        for (var v = start + 1; v <= version; v++)
        {
            if (!deltas.Contains(v))
            {
                throw new InvalidDataException($"state folder {dir.Location} is missing version {v} (needed to rebuild version {version})");
            }

            chain.Add(v);
        }

        return (start, chain);
    }

    /// <summary>Deletes files older than the newest snapshot that is at least <paramref name="retain"/> versions old.</summary>
    public static void Purge(CheckpointFolder dir, long currentVersion, long retain)
    {
        var limit = currentVersion - retain;
        long keepFrom = 0;
        var names = dir.List();
        foreach (var name in names)
        {
            if (name.EndsWith(".snapshot", StringComparison.Ordinal) && TryVersion(name, ".snapshot", out var s) && s <= limit && s > keepFrom)
            {
                keepFrom = s;
            }
        }

        if (keepFrom == 0)
        {
            return;
        }

        foreach (var name in names)
        {
            var ext = Path.GetExtension(name);
            if ((ext is ".delta" or ".snapshot") && TryVersion(name, ext, out var v) && v < keepFrom)
            {
                dir.Delete(name);
            }
        }
    }

    private static bool TryVersion(string name, string suffix, out long version) =>
        long.TryParse(name.AsSpan(0, name.Length - suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out version);
}
