using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Clickstream.Benchmarks.Load;

/// <summary>
/// Request bodies prepared before the run, so the load generator spends its CPU on HTTP, not on building JSON:
/// 64 distinct bodies of N shop events (about 330 bytes each, like the generator's), cycled through.
/// </summary>
internal static class LoadPayloads
{
    private static readonly string[] Types = ["page_view", "product_view", "add_to_cart", "page_view", "search", "checkout_start", "purchase"];
    private static readonly string[] Categories = ["home", "books", "electronics", "garden", "toys", "fashion"];

    public static byte[][] Build(int eventsPerRequest, bool gzip)
    {
        var bodies = new byte[64][];
        var n = 0;
        for (var b = 0; b < bodies.Length; b++)
        {
            var text = new StringBuilder(eventsPerRequest * 360);
            for (var i = 0; i < eventsPerRequest; i++, n++)
            {
                var ms = n * 7L;
                text.Append(CultureInfo.InvariantCulture,
                    $$"""{"event_id":"{{Guid.NewGuid()}}","event_type":"{{Types[n % Types.Length]}}","timestamp":"{{new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc).AddMilliseconds(ms):yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}","user_id":"u-{{n % 5000:D7}}","session_id":"s-{{n % 1200:D6}}","device":"mobile","schema_version":2,"page":"https://shop.example.com/c/{{Categories[n % Categories.Length]}}","category":"{{Categories[n % Categories.Length]}}","product_id":"p-{{n % 900:D5}}","properties":{"title":"Item","load_ms":{{n % 2000}}""");
                text.Append("}}\n");
            }

            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            bodies[b] = gzip ? Compress(bytes) : bytes;
        }

        return bodies;
    }

    private static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream();
        using (var stream = new GZipStream(output, CompressionLevel.Fastest))
        {
            stream.Write(data);
        }

        return output.ToArray();
    }
}
