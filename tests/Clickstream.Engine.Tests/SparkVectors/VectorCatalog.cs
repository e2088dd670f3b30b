using System.Text.Json;

namespace Clickstream.Engine.Tests.SparkVectors;

/// <summary>Finds the vectors: the copies in TestData/spark-vectors plus every *.json in $CLICKSTREAM_VECTORS_DIR.</summary>
internal static class VectorCatalog
{
    private static readonly Lazy<Dictionary<string, string>> Files = new(Load);

    public static IEnumerable<string> Ids => Files.Value.Keys.Order(StringComparer.Ordinal);

    public static JsonElement Load(string id)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Files.Value[id]));
        var root = doc.RootElement;
        return (root.TryGetProperty("vector", out var v) ? v : root).Clone();
    }

    private static Dictionary<string, string> Load()
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var folders = new List<string> { Path.Combine(AppContext.BaseDirectory, "TestData", "spark-vectors") };
        if (Environment.GetEnvironmentVariable("CLICKSTREAM_VECTORS_DIR") is { Length: > 0 } extra)
        {
            if (!Directory.Exists(extra))
            {
                throw new DirectoryNotFoundException($"CLICKSTREAM_VECTORS_DIR names {extra}, which does not exist");
            }

            folders.Add(extra);
        }

        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(file));
                var root = doc.RootElement;
                var vector = root.TryGetProperty("vector", out var v) ? v : root;
                var id = vector.GetProperty("id").GetString()!;
                if (files.TryGetValue(id, out var existing))
                {
                    if (File.ReadAllText(existing) == File.ReadAllText(file))
                    {
                        continue;
                    }

                    id = $"{id} ({Path.GetFileName(file)})";
                }

                files[id] = file;
            }
        }

        return files;
    }
}
