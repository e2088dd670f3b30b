using System.Text;
using System.Text.Json;

namespace Clickstream.Aws.Kinesis;

/// <summary>
/// A Kinesis source offset: for every shard being read, the sequence number of the last record included (null
/// when none yet) and whether the shard is closed and read to its end. JSON, shards in id order, so equal
/// positions give equal text:
/// <c>{"stream":"S","shards":{"shardId-000000000000":{"seq":"4959…","done":false}}}</c>.
/// </summary>
internal sealed record KinesisSourceOffset(string Stream, IReadOnlyDictionary<string, KinesisShardPosition> Shards)
{
    public static KinesisSourceOffset Empty(string stream) => new(stream, new SortedDictionary<string, KinesisShardPosition>(StringComparer.Ordinal));

    public KinesisShardPosition? Of(string shardId) => Shards.TryGetValue(shardId, out var p) ? p : null;

    public bool IsDone(string shardId) => Of(shardId) is { Done: true };

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("stream", Stream);
            w.WriteStartObject("shards");
            foreach (var (id, position) in Shards.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject(id);
                if (position.SequenceNumber is null)
                {
                    w.WriteNull("seq");
                }
                else
                {
                    w.WriteString("seq", position.SequenceNumber);
                }

                w.WriteBoolean("done", position.Done);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static KinesisSourceOffset Parse(string? json, string stream)
    {
        if (json is null)
        {
            return Empty(stream);
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var named = root.GetProperty("stream").GetString();
            if (named != stream)
            {
                throw new InvalidDataException($"the checkpoint's offsets are for Kinesis stream {named}, not {stream}; use a new checkpoint for another stream");
            }

            var shards = new SortedDictionary<string, KinesisShardPosition>(StringComparer.Ordinal);
            foreach (var shard in root.GetProperty("shards").EnumerateObject())
            {
                var seq = shard.Value.GetProperty("seq");
                shards[shard.Name] = new KinesisShardPosition(seq.ValueKind == JsonValueKind.Null ? null : seq.GetString(), shard.Value.GetProperty("done").GetBoolean());
            }

            return new KinesisSourceOffset(stream, shards);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"a Kinesis source offset in the checkpoint is malformed ({e.Message}): {json}", e);
        }
    }
}

/// <summary>Where a shard's reading stands.</summary>
/// <param name="SequenceNumber">The last record included, or null when none yet.</param>
/// <param name="Done">The shard is closed and every record of it is included.</param>
internal sealed record KinesisShardPosition(string? SequenceNumber, bool Done);
