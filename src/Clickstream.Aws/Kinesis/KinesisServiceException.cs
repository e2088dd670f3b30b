using System.Net;
using Amazon.Runtime;

namespace Clickstream.Aws.Kinesis;

/// <summary>
/// An error answer from Kinesis (<c>{"__type": "...", "message": "..."}</c>), as an SDK service exception so that
/// <see cref="AwsErrors"/> classifies it like every other AWS error.
/// </summary>
public sealed class KinesisServiceException : AmazonServiceException
{
    public KinesisServiceException()
    {
    }

    public KinesisServiceException(string message)
        : base(message)
    {
    }

    public KinesisServiceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>An answer with <paramref name="errorCode"/> and HTTP status <paramref name="statusCode"/>.</summary>
    public KinesisServiceException(string message, string errorCode, HttpStatusCode statusCode, string? requestId)
        : base(message, null, ErrorType.Unknown, errorCode, requestId, statusCode)
    {
    }
}
