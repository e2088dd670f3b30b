namespace Clickstream.Aws.Kinesis;

/// <summary>Kinesis stream names and <c>kinesis://STREAM</c> locations.</summary>
public static class KinesisNames
{
    /// <summary>The scheme of a stream location.</summary>
    public const string Scheme = "kinesis://";

    /// <summary>What a stream name may be, for error messages.</summary>
    public const string StreamNameRule = "a stream name is 1 to 128 letters, digits, '_', '-' or '.'";

    /// <summary>True when <paramref name="text"/> is a stream location (it may still be malformed).</summary>
    public static bool IsStreamLocation(string? text) => text is not null && text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>The stream name of <c>kinesis://STREAM</c>.</summary>
    /// <exception cref="AwsLocationException">It is not a stream location, or the name is not valid.</exception>
    public static string ParseStreamLocation(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IsStreamLocation(text))
        {
            throw new AwsLocationException($"{text}: not a kinesis://STREAM location");
        }

        var name = text[Scheme.Length..].TrimEnd('/');
        return IsValidStreamName(name) ? name : throw new AwsLocationException($"{text}: {StreamNameRule}");
    }

    /// <summary>True for a name Kinesis accepts.</summary>
    public static bool IsValidStreamName(string name) =>
        name.Length is >= 1 and <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
