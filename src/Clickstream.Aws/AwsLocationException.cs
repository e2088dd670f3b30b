namespace Clickstream.Aws;

/// <summary>
/// A location (bucket, prefix, table) or an AWS setting that cannot be used: no such bucket or table, no
/// credentials, a wrong region, a malformed URI. The message is one line naming the location and the cause.
/// </summary>
public sealed class AwsLocationException : Exception
{
    public AwsLocationException()
    {
    }

    public AwsLocationException(string message)
        : base(message)
    {
    }

    public AwsLocationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
