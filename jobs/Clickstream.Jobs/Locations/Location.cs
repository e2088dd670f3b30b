using Clickstream.Aws.Checkpointing;
using Clickstream.Aws.Locations;
using Clickstream.Aws.S3;
using Clickstream.Delta.Storage;
using Clickstream.Delta.Table;
using Clickstream.Engine.Checkpointing;
using Clickstream.Jobs.Cli;

namespace Clickstream.Jobs.Locations;

/// <summary>
/// A location given on the command line: a local path, or an <c>s3://bucket/prefix</c> URI. Turns into the
/// store a checkpoint, a lake or a table lives in, and checks at start that it can be used.
/// </summary>
internal sealed class Location
{
    private Location(string text, string option, S3Uri? s3)
    {
        Text = text;
        Option = option;
        S3 = s3;
    }

    /// <summary>The location as given (a path is made absolute).</summary>
    public string Text { get; }

    /// <summary>The option it came from, for messages (e.g. <c>--lake</c>).</summary>
    public string Option { get; }

    /// <summary>The S3 location, or null for a local path.</summary>
    public S3Uri? S3 { get; }

    public bool IsLocal => S3 is null;

    /// <summary>Parses <paramref name="text"/>: <c>s3://</c> or a local path; other schemes are usage errors.</summary>
    public static Location Parse(string option, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        if (text.StartsWith("s3://", StringComparison.Ordinal))
        {
            try
            {
                return new Location(text.TrimEnd('/'), option, S3Uri.Parse(text));
            }
            catch (Aws.AwsLocationException e)
            {
                throw new UsageException($"{option} {text}: {e.Message}");
            }
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            throw new UsageException($"{option} {text}: unsupported location (use a local path or s3://bucket/prefix)");
        }

        return new Location(Path.GetFullPath(text), option, null);
    }

    /// <summary>The location of a child (e.g. the <c>events</c> table of a lake).</summary>
    public Location Child(string name) =>
        S3 is { } s3 ? new Location(Text + "/" + name, Option, s3.Child(name)) : new Location(Path.Combine(Text, name), Option, null);

    /// <summary>Fails with one line when the location cannot be used (S3: bucket, region, credentials, access).</summary>
    public void Check(AwsContext aws, CancellationToken cancellationToken = default)
    {
        if (S3 is { } s3)
        {
            S3LocationProbe.CheckAsync(aws.S3(Text), s3, Option, cancellationToken).GetAwaiter().GetResult();
        }
    }

    /// <summary>The object store rooted at this location.</summary>
    public IObjectStore ObjectStore(AwsContext aws) =>
        S3 is { } s3 ? new S3ObjectStore(aws.S3(Text), s3, aws.NewRetry()) : new LocalObjectStore(Text);

    /// <summary>The Delta table at this location (not read yet).</summary>
    public DeltaTable Table(AwsContext aws) => S3 is null ? DeltaTable.OpenLocal(Text) : DeltaTable.Open(ObjectStore(aws), Text);

    /// <summary>The checkpoint store at this location.</summary>
    public ICheckpointStore CheckpointStore(AwsContext aws) =>
        S3 is null ? new LocalCheckpointStore(Text) : new ObjectStoreCheckpointStore(ObjectStore(aws));

    public override string ToString() => Text;
}
