namespace Clickstream.Aws;

/// <summary>An AWS call that failed for good: a fatal error, or retryable ones past the retry deadline.</summary>
public sealed class AwsCallException : Exception
{
    public AwsCallException()
    {
    }

    public AwsCallException(string message)
        : base(message)
    {
    }

    public AwsCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AwsCallException(string message, Exception innerException, bool retryable)
        : base(message, innerException)
    {
        Retryable = retryable;
    }

    /// <summary>True when the last failure was retryable (the deadline ran out), false when it was fatal.</summary>
    public bool Retryable { get; }
}
