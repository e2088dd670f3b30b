namespace Clickstream.Collector.Metrics;

/// <summary>The wire names and HTTP statuses of <see cref="RejectReason"/>.</summary>
internal static class RejectReasons
{
    public static readonly string[] Names =
    [
        "unauthorized",
        "request_too_large",
        "decompressed_too_large",
        "event_too_large",
        "too_many_events",
        "invalid_json",
        "invalid_gzip",
        "unsupported_encoding",
        "unavailable",
    ];

    public static string Name(RejectReason reason) => Names[(int)reason];

    public static int Status(RejectReason reason) => reason switch
    {
        RejectReason.Unauthorized => 401,
        RejectReason.RequestTooLarge or RejectReason.DecompressedTooLarge => 413,
        RejectReason.UnsupportedEncoding => 415,
        RejectReason.Unavailable => 503,
        _ => 400,
    };
}
