using System.Globalization;

namespace Clickstream.Collector.Landing;

/// <summary>
/// Names of landing files. The open file is hidden (leading dot) and ends in <c>.tmp</c>, both of which the stream
/// job's file source skips; publishing renames it to the visible name, which is atomic within one folder.
/// </summary>
internal static class LandingFileNames
{
    public const string OpenPrefix = ".events-";
    public const string OpenSuffix = ".ndjson.tmp";

    public static string Stem(DateTimeOffset openedAt, long sequence) =>
        "events-" + openedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)
        + "-" + sequence.ToString("D6", CultureInfo.InvariantCulture);

    public static string OpenName(string stem) => "." + stem + ".ndjson.tmp";

    public static string PublishedName(string stem) => stem + ".ndjson";

    /// <summary>The published name for a leftover open file, or null when the name is not one of ours.</summary>
    public static string? PublishedNameFor(string openFileName) =>
        openFileName.StartsWith(OpenPrefix, StringComparison.Ordinal) && openFileName.EndsWith(OpenSuffix, StringComparison.Ordinal)
            ? openFileName[1..^".tmp".Length]
            : null;
}
