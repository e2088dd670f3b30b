using System.Text.Json;

namespace Clickstream.Jobs.Generate;

/// <summary>Who visits: device mix, user agents per device and where visits come from.</summary>
internal static class TrafficSources
{
    public const int Desktop = 0;
    public const int Mobile = 1;
    public const int Tablet = 2;

    public static readonly JsonEncodedText[] Devices = EncodedText.Encode(["desktop", "mobile", "tablet"]);

    public static readonly string[][] UserAgents =
    [
        [
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
        ],
        [
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
            "ShopApp/4.12.0 (iPhone15,2; iOS 18.1; Scale/3.00)",
            "ShopApp/4.11.2 (Android 14; SM-A546B)",
        ],
        [
            "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        ],
    ];

    public static readonly JsonEncodedText[][] EncodedUserAgents = Array.ConvertAll(UserAgents, EncodedText.Encode);

    /// <summary>Landing referrers; null is direct traffic (typed URL, bookmark, app).</summary>
    public static readonly string?[] Referrers =
    [
        null, null, null, null, null, null, null,
        "https://www.google.com/", "https://www.google.com/", "https://www.google.com/", "https://www.google.com/",
        "https://www.google.com/", "https://www.google.com/",
        "https://www.bing.com/",
        "https://www.facebook.com/", "https://l.instagram.com/",
        "https://newsletter.shop.example.com/2026-11-weekly", "https://newsletter.shop.example.com/2026-11-weekly",
        "https://blog.partner.example.org/best-gifts-2026",
        "https://www.youtube.com/",
    ];

    public static readonly JsonEncodedText?[] EncodedReferrers =
        Array.ConvertAll(Referrers, r => r is null ? (JsonEncodedText?)null : EncodedText.Encode(r));

    /// <summary>Desktop 40%, mobile 52%, tablet 8%.</summary>
    public static int PickDevice(Xoshiro256StarStar random)
    {
        var u = random.NextDouble();
        return u < 0.40 ? Desktop : u < 0.92 ? Mobile : Tablet;
    }

    /// <summary>The campaign tags a tracker would read from the landing URL, for referrers that carry them.</summary>
    public static (string Source, string Medium)? Campaign(int referrer) => (referrer < 0 ? null : Referrers[referrer]) switch
    {
        "https://newsletter.shop.example.com/2026-11-weekly" => ("newsletter", "email"),
        "https://www.facebook.com/" => ("facebook", "social"),
        "https://l.instagram.com/" => ("instagram", "social"),
        "https://blog.partner.example.org/best-gifts-2026" => ("partner-blog", "affiliate"),
        _ => null,
    };
}
