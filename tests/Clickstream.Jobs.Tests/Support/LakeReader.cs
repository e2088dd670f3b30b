using Clickstream.Delta.Table;

namespace Clickstream.Jobs.Tests.Support;

/// <summary>Reads a lake table through the Delta library: its latest snapshot's rows as column-name → value maps.</summary>
internal static class LakeReader
{
    public static async Task<(Snapshot Snapshot, List<Dictionary<string, object?>> Rows)> ReadAsync(string tableFolder)
    {
        var table = DeltaTable.OpenLocal(tableFolder);
        var snapshot = await table.GetSnapshotAsync();
        var names = snapshot.Schema.Fields.Select(f => f.Name).ToArray();
        var rows = (await TableReader.ReadAllAsync(table, snapshot))
            .Select(r => names.Select((n, i) => (n, r[i])).ToDictionary(p => p.n, p => p.Item2, StringComparer.Ordinal))
            .ToList();
        return (snapshot, rows);
    }
}
