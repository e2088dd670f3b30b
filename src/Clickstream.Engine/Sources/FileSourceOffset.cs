using System.Globalization;
using System.Text.Json;

namespace Clickstream.Engine.Sources;

/// <summary>
/// The file source's offset, <c>{"logOffset":N}</c>: the batches up to and including source log entry N. The
/// executor compares offsets as text, so <see cref="Format"/> is the only spelling ever written.
/// </summary>
internal static class FileSourceOffset
{
    /// <summary>The log id before the first entry: what a null (no data yet) offset means.</summary>
    public const long None = -1;

    public static string Format(long logOffset) =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"logOffset\":{logOffset}}}");

    public static long Parse(string? offset)
    {
        if (offset is null)
        {
            return None;
        }

        try
        {
            using var doc = JsonDocument.Parse(offset);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("logOffset", out var value)
                && value.TryGetInt64(out var id)
                && id >= 0)
            {
                return id;
            }
        }
        catch (JsonException)
        {
            // Reported below with the offending text.
        }

        throw new InvalidDataException($"not a file source offset: '{offset}' (expected {{\"logOffset\":N}})");
    }
}
