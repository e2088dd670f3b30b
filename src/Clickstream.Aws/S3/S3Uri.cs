using System.Text.RegularExpressions;

namespace Clickstream.Aws.S3;

/// <summary>
/// An <c>s3://bucket/prefix</c> location: a bucket and a key prefix without leading or trailing slashes (empty for
/// the bucket's root). Bucket names follow S3's rules for general-purpose buckets, so a typo fails at parse time
/// with a reason instead of as an obscure service error.
/// </summary>
public sealed partial class S3Uri : IEquatable<S3Uri>
{
    private S3Uri(string bucket, string prefix)
    {
        Bucket = bucket;
        Prefix = prefix;
    }

    /// <summary>The bucket name.</summary>
    public string Bucket { get; }

    /// <summary>The key prefix, without leading or trailing <c>/</c>; empty for the bucket's root.</summary>
    public string Prefix { get; }

    /// <summary>Parses <c>s3://bucket[/prefix]</c>; throws <see cref="AwsLocationException"/> saying what is wrong.</summary>
    public static S3Uri Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        const string scheme = "s3://";
        if (!text.StartsWith(scheme, StringComparison.Ordinal))
        {
            throw new AwsLocationException($"'{text}' is not an s3:// location");
        }

        var rest = text[scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? string.Empty : rest[(slash + 1)..].Trim('/');
        if (BucketProblem(bucket) is { } problem)
        {
            throw new AwsLocationException($"the bucket name '{bucket}' is not valid: {problem}");
        }

        if (prefix.Contains("//", StringComparison.Ordinal))
        {
            throw new AwsLocationException($"the prefix '{prefix}' has an empty path segment (//)");
        }

        if (prefix.Length > 512 || prefix.Any(char.IsControl))
        {
            throw new AwsLocationException($"the prefix '{prefix}' is longer than 512 characters or holds control characters");
        }

        return new S3Uri(bucket, prefix);
    }

    /// <summary>The location of <paramref name="name"/> (one or more <c>/</c>-separated segments) under this one.</summary>
    public S3Uri Child(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var trimmed = name.Trim('/');
        return new S3Uri(Bucket, Prefix.Length == 0 ? trimmed : Prefix + "/" + trimmed);
    }

    /// <summary>The full S3 key of <paramref name="relativeKey"/> under this location.</summary>
    public string Key(string relativeKey) => Prefix.Length == 0 ? relativeKey : Prefix + "/" + relativeKey;

    /// <summary>The key prefix that lists everything under this location (ends with <c>/</c>, or empty).</summary>
    public string ListPrefix => Prefix.Length == 0 ? string.Empty : Prefix + "/";

    public override string ToString() => Prefix.Length == 0 ? $"s3://{Bucket}" : $"s3://{Bucket}/{Prefix}";

    public bool Equals(S3Uri? other) => other is not null && Bucket == other.Bucket && Prefix == other.Prefix;

    public override bool Equals(object? obj) => Equals(obj as S3Uri);

    public override int GetHashCode() => HashCode.Combine(Bucket, Prefix);

    private static string? BucketProblem(string bucket)
    {
        if (bucket.Length is < 3 or > 63)
        {
            return "it must be 3 to 63 characters long";
        }

        if (!BucketCharacters().IsMatch(bucket))
        {
            return "it may hold only lowercase letters, digits, dots and hyphens, and must begin and end with a letter or digit";
        }

        if (bucket.Contains("..", StringComparison.Ordinal))
        {
            return "it must not hold two adjacent dots";
        }

        return IpAddress().IsMatch(bucket) ? "it must not look like an IP address" : null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex BucketCharacters();

    [GeneratedRegex(@"^\d+\.\d+\.\d+\.\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex IpAddress();
}
