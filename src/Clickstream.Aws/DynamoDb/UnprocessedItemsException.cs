namespace Clickstream.Aws.DynamoDb;

/// <summary>
/// BatchWriteItem left items unprocessed (DynamoDB's way of throttling part of a batch). Thrown inside a retried
/// call so that <see cref="AwsRetry"/> backs off and resends only what is left; <see cref="AwsErrors"/> calls it
/// retryable.
/// </summary>
public sealed class UnprocessedItemsException : Exception
{
    public UnprocessedItemsException()
    {
    }

    public UnprocessedItemsException(string message)
        : base(message)
    {
    }

    public UnprocessedItemsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
