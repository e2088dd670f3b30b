using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;

namespace Clickstream.Aws;

/// <summary>
/// The one place that decides whether a failed AWS call is worth retrying. Throttling (any service's spelling of
/// it), 5xx answers, timeouts and broken connections are retryable; every other service error is fatal and is
/// reported with the service's own code and message. Conditional-write outcomes (S3 412, DynamoDB
/// ConditionalCheckFailed) are not errors here: the callers that ask for a condition handle them before this. S3's 409
/// ConditionalRequestConflict (conditional writes to one key racing) is retryable: the write did not happen.
/// </summary>
public static class AwsErrors
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "RequestLimitExceeded", "RequestThrottled", "SlowDown",
        "BandwidthLimitExceeded", "LimitExceededException", "ConditionalRequestConflict", "OperationAborted", "TransactionInProgressException", "PriorRequestNotComplete",
        "EC2ThrottledException", "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
        "InternalServerError", "ServiceUnavailable", "ServiceUnavailableException", "KMSThrottlingException",
    };

    /// <summary>Classifies <paramref name="error"/>.</summary>
    public static AwsErrorKind Classify(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        switch (error)
        {
            case AmazonServiceException { ErrorCode: "LimitExceededException" } quota when quota.Message.Contains("shard limit", StringComparison.OrdinalIgnoreCase):
                // Kinesis says LimitExceeded both for too many calls (retry) and for the account's shard quota
                // (no retry will help: it needs a quota increase).
                return AwsErrorKind.Fatal;
            case AmazonServiceException service:
                if (service.ErrorCode is { } code && ThrottlingCodes.Contains(code))
                {
                    return AwsErrorKind.Retryable;
                }

                if ((int)service.StatusCode >= 500 || service.StatusCode == HttpStatusCode.TooManyRequests || service.StatusCode == HttpStatusCode.RequestTimeout)
                {
                    return AwsErrorKind.Retryable;
                }

                // No HTTP answer at all (StatusCode 0): the connection failed underneath the SDK.
                if (service.StatusCode == 0 && service.InnerException is { } cause)
                {
                    return Classify(cause);
                }

                return AwsErrorKind.Fatal;
            case DynamoDb.UnprocessedItemsException:
                // DynamoDB accepted part of a BatchWriteItem and throttled the rest: send the rest again.
                return AwsErrorKind.Retryable;
            case AmazonClientException client when client.InnerException is { } inner:
                return Classify(inner);
            case TimeoutException or HttpRequestException or SocketException or IOException:
                return AwsErrorKind.Retryable;
            case TaskCanceledException cancelled when cancelled.InnerException is TimeoutException:
                return AwsErrorKind.Retryable;
            default:
                return AwsErrorKind.Fatal;
        }
    }

    /// <summary>One line that says what failed: the service's error code and message, or the exception's message.</summary>
    public static string Describe(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            AmazonServiceException { ErrorCode: { Length: > 0 } code } s => $"{code} ({(int)s.StatusCode}): {OneLine(s.Message)}",
            AmazonServiceException s when s.StatusCode != 0 => $"HTTP {(int)s.StatusCode}: {OneLine(s.Message)}",
            _ when error.InnerException is { } inner && error is AmazonClientException => $"{OneLine(error.Message)} ({OneLine(inner.Message)})",
            _ => OneLine(error.Message),
        };
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
