using System.Buffers;
using System.Text;
using System.Text.Json;
using Clickstream.Jobs.Cli;
using Clickstream.Jobs.Store;
using Clickstream.Udfs;

namespace Clickstream.Jobs.Report;

/// <summary><c>clickstream export</c>: every aggregate row as NDJSON.</summary>
internal sealed class ExportCommand : ICommand
{
    public string Name => "export";

    public string Summary => "print every aggregate row of the store as NDJSON";

    public IReadOnlySet<string> Flags { get; } = new HashSet<string>(StringComparer.Ordinal);

    public string Usage => """
        usage: clickstream export --store FILE|dynamodb://TABLE

        Prints one JSON object per aggregate row, ordered by metric, window and key:
          {"metric": "page_views", "window_start": "2026-11-01T12:00:00Z", "window_end": "2026-11-01T12:01:00Z", "key": "books", "value": 42}
        window_end is exclusive; key is null for metrics without a dimension (active_users, late, duplicates, invalid).

          --store LOC    the aggregate store written by `clickstream stream`: a SQLite file or dynamodb://TABLE
                         (DynamoDB uses the standard AWS settings: AWS_REGION, AWS_PROFILE or the default
                         credential chain, AWS_ENDPOINT_URL_DYNAMODB for an emulator)
        """;

    public Task<int> RunAsync(CommandLine args, TextWriter output, CancellationToken cancellationToken)
    {
        var location = args.RequiredString("store");
        args.EnsureAllUsed();
        using var store = OpenStore(location, cancellationToken);
        var buffer = new ArrayBufferWriter<byte>(256);
        using var writer = new Utf8JsonWriter(buffer);
        foreach (var (metric, start, end, key, value) in StoreQueries.All(store))
        {
            writer.WriteStartObject();
            writer.WriteString("metric", metric);
            writer.WriteString("window_start", Iso8601.FormatMicros(start));
            writer.WriteString("window_end", Iso8601.FormatMicros(end));
            if (key is null)
            {
                writer.WriteNull("key");
            }
            else
            {
                writer.WriteString("key", key);
            }

            writer.WriteNumber("value", value);
            writer.WriteEndObject();
            writer.Flush();
            output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
            buffer.ResetWrittenCount();
            writer.Reset();
        }

        return Task.FromResult(0);
    }

    /// <summary>Opens an existing store for reading; a missing SQLite file is a usage error, a DynamoDB table is probed.</summary>
    internal static IAggregateStore OpenStore(string location, CancellationToken cancellationToken = default)
    {
        try
        {
            return AggregateStores.Open(location, readOnly: true, cancellationToken: cancellationToken);
        }
        catch (FileNotFoundException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
