using System.Text.Json;
using Clickstream.Delta.Log;

namespace Clickstream.Delta.Maintenance;

/// <summary>Row counts from the <c>numRecords</c> of <c>add.stats</c>.</summary>
internal static class RecordCounts
{
    /// <summary>The file's row count, or null when its stats are missing or do not give it.</summary>
    public static long? Of(AddAction file)
    {
        if (string.IsNullOrEmpty(file.Stats))
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(file.Stats));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            // numRecords is the first property Spark writes, but any position is accepted.
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isCount = reader.ValueTextEquals("numRecords"u8);
                reader.Read();
                if (isCount)
                {
                    return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n) && n >= 0 ? n : null;
                }

                reader.Skip();
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The total row count of <paramref name="files"/>, or null when one of them has no count.</summary>
    public static long? Sum(IEnumerable<AddAction> files)
    {
        long total = 0;
        foreach (var file in files)
        {
            if (Of(file) is not { } n)
            {
                return null;
            }

            total += n;
        }

        return total;
    }
}
