using Clickstream.Aws;
using Clickstream.Aws.Kinesis;

namespace Clickstream.Jobs.Locations;

/// <summary>A <c>kinesis://STREAM</c> location, checked before anything runs.</summary>
internal static class KinesisLocation
{
    /// <summary>
    /// The client and the stream's summary, or one line naming the location and the cause: no such stream (and how
    /// to create it), no credentials, a stream that is being created or deleted.
    /// </summary>
    public static async Task<(KinesisClient Client, string Stream, KinesisStreamSummary Summary)> OpenAsync(AwsContext aws, string location, CancellationToken cancellationToken)
    {
        var stream = KinesisNames.ParseStreamLocation(location);
        var client = aws.Kinesis(location);
        KinesisStreamSummary summary;
        try
        {
            summary = await client.DescribeStreamSummaryAsync(stream, cancellationToken);
        }
        catch (AwsCallException e) when (e.InnerException is KinesisServiceException { ErrorCode: "ResourceNotFoundException" })
        {
            throw new AwsLocationException($"{location}: the stream {stream} does not exist (create it with `clickstream aws init --stream {stream}` or infrastructure as code)", e);
        }
        catch (AwsCallException e)
        {
            throw new AwsLocationException($"{location}: {e.Message}", e);
        }

        if (summary.Status is not ("ACTIVE" or "UPDATING"))
        {
            throw new AwsLocationException($"{location}: the stream is {summary.Status}; it can be used only when ACTIVE or UPDATING");
        }

        return (client, stream, summary);
    }
}
