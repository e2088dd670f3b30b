using System.Text.Encodings.Web;
using System.Text.Json;

namespace Clickstream.Jobs.Generate;

/// <summary>
/// Pre-escaped JSON values for the fixed vocabularies, so that writing a field copies bytes instead of
/// transcoding and escaping the same strings millions of times.
/// </summary>
internal static class EncodedText
{
    /// <summary>
    /// The files are data, not HTML: '+', '&amp;' and non-ASCII text stay readable. Quotes, backslashes and
    /// control characters are still escaped, as JSON requires.
    /// </summary>
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static JsonEncodedText Encode(string value) => JsonEncodedText.Encode(value, Encoder);

    public static JsonEncodedText[] Encode(string[] values)
    {
        var encoded = new JsonEncodedText[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            encoded[i] = Encode(values[i]);
        }

        return encoded;
    }
}
