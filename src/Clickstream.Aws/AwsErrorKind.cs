namespace Clickstream.Aws;

/// <summary>What to do about a failed AWS call.</summary>
public enum AwsErrorKind
{
    /// <summary>Throttling, a 5xx, a timeout, a dropped connection: try again after a backoff.</summary>
    Retryable,

    /// <summary>Anything else (bad request, access denied, missing resource…): fail with the service's message.</summary>
    Fatal,
}
