namespace Clickstream.Delta.Storage;

/// <summary>Validation shared by the stores: keys are relative, '/'-separated, without empty or dot segments.</summary>
internal static class ObjectKeys
{
    public static void Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0 || key[0] == '/' || key[^1] == '/' || key.Contains('\\', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"invalid object key '{key}': keys are relative, '/'-separated paths", nameof(key));
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                throw new ArgumentException($"invalid object key '{key}': empty, '.' or '..' segment", nameof(key));
            }
        }
    }
}
