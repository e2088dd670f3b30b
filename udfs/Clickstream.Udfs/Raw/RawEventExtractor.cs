using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Clickstream.Udfs.Raw;

/// <summary>
/// Reads one event line, already accepted by <see cref="EventParser"/>, into a row of <see cref="RawEventColumns"/>:
/// every field with a column typed, everything else kept as JSON in <c>properties</c>. The rules are in this
/// folder's README.
/// </summary>
/// <remarks>
/// One pass of a <see cref="Utf8JsonReader"/> over the line; the only allocations per event are the strings
/// that end up in the columns, and repeated low-cardinality values (types, categories, devices, pages,
/// referrers, user agents, product ids) come from bounded per-extractor caches instead.
/// Not thread-safe: it owns scratch buffers and caches, so each worker thread creates its own.
/// </remarks>
public sealed class RawEventExtractor
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = EventParser.MaxDepth };

    private readonly StringInterner?[] _interners = new StringInterner?[RawFieldNames.Count];
    private readonly PropertiesBuilder _properties = new();
    private byte[] _scratch = new byte[1024];

    /// <summary>Creates an extractor with its own value caches.</summary>
    public RawEventExtractor()
    {
        _interners[(int)RawField.EventType] = new StringInterner(capacity: 1024, maxCachedBytes: 64);
        _interners[(int)RawField.Page] = new StringInterner(capacity: 16 * 1024, maxCachedBytes: 256);
        _interners[(int)RawField.Category] = new StringInterner(capacity: 4096, maxCachedBytes: 128);
        _interners[(int)RawField.Device] = new StringInterner(capacity: 256, maxCachedBytes: 64);
        _interners[(int)RawField.ProductId] = new StringInterner(capacity: 64 * 1024, maxCachedBytes: 128);
        _interners[(int)RawField.Referrer] = new StringInterner(capacity: 4096, maxCachedBytes: 256);
        _interners[(int)RawField.UserAgent] = new StringInterner(capacity: 4096, maxCachedBytes: 512);
    }

    /// <summary>
    /// Appends the event on <paramref name="utf8Line"/> (without its newline; surrounding whitespace, a trailing
    /// <c>\r</c> and a leading byte order mark are ignored) as one row of <paramref name="columns"/>.
    /// Returns false, appending nothing, when the line is not a valid event after all.
    /// </summary>
    public bool Append(ReadOnlySpan<byte> utf8Line, RawEventColumns columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var line = utf8Line.Trim(" \t\r\n"u8);
        if (line.StartsWith("\uFEFF"u8))
        {
            line = line[3..].TrimStart(" \t\r\n"u8);
        }

        // The reader does not check the UTF-8 inside strings, and values are copied into properties unchecked.
        if (line.IsEmpty || !Utf8.IsValid(line))
        {
            return false;
        }

        if (_scratch.Length < line.Length)
        {
            _scratch = new byte[Math.Max(line.Length, 2 * _scratch.Length)];
        }

        var row = default(RawRow);
        _properties.Reset();
        var reader = new Utf8JsonReader(line, ReaderOptions);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            // Ends on the object's own EndObject: nested values are consumed where they are read.
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var nameStart = (int)reader.TokenStartIndex + 1;
                var nameLength = reader.ValueSpan.Length;
                var nameEscaped = reader.ValueIsEscaped;
                var field = TryGetString(ref reader, out var name) ? RawFieldNames.Match(name) : RawField.Unknown;
                reader.Read();
                var valueStart = (int)reader.TokenStartIndex;
                if (!ReadValue(ref reader, field, ref row))
                {
                    _properties.AddExtra(new JsonMember(nameStart, nameLength, nameEscaped, valueStart, (int)reader.BytesConsumed, field));
                }
            }

            // Throws when anything but whitespace follows the object.
            reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }

        if (!row.IsComplete)
        {
            return false;
        }

        columns.Add(ref row, _properties.Build(line));
        return true;
    }

    /// <summary>
    /// Reads the value the reader is on into <paramref name="row"/>. Returns false when it belongs in properties
    /// instead (an unknown field, or a value its column cannot hold); the reader then ends on the value's last token.
    /// </summary>
    private bool ReadValue(ref Utf8JsonReader reader, RawField field, ref RawRow row)
    {
        var token = reader.TokenType;
        switch (field)
        {
            case RawField.Unknown:
                reader.Skip();
                return false;
            case RawField.EventId or RawField.EventType or RawField.UserId or RawField.SessionId:
                // Required: only a string will do (EventParser rejects anything else), so a later occurrence must fix it.
                if (token != JsonTokenType.String || !TryReadText(ref reader, field, out row.Text[(int)field]))
                {
                    row.Text[(int)field] = null;
                    reader.Skip();
                }

                return true;
            case RawField.Timestamp:
                row.HasEventTime = token == JsonTokenType.String
                    && TryGetString(ref reader, out var time)
                    && Iso8601.TryParseMicros(time, out row.EventTime);
                reader.Skip();
                return true; // the event is invalid unless a later timestamp is readable: nothing to keep
            case RawField.ReceivedAt:
                row.HasReceivedAt = token == JsonTokenType.String
                    && TryGetString(ref reader, out var received)
                    && Iso8601.TryParseMicros(received, out row.ReceivedAt);
                return Finish(ref reader, field, row.HasReceivedAt || token == JsonTokenType.Null);
            case RawField.Price:
                row.HasPrice = token == JsonTokenType.Number && reader.TryGetDouble(out row.Price) && double.IsFinite(row.Price);
                return Finish(ref reader, field, row.HasPrice || token == JsonTokenType.Null);
            case RawField.Quantity:
                row.HasQuantity = token == JsonTokenType.Number && reader.TryGetInt64(out row.Quantity);
                return Finish(ref reader, field, row.HasQuantity || token == JsonTokenType.Null);
            case RawField.SchemaVersion:
                row.HasSchemaVersion = token == JsonTokenType.Number && reader.TryGetInt32(out row.SchemaVersion);
                return Finish(ref reader, field, row.HasSchemaVersion || token == JsonTokenType.Null);
            case RawField.Properties:
                return ReadProperties(ref reader);
            default:
                var ok = TryReadText(ref reader, field, out row.Text[(int)field]);
                return Finish(ref reader, field, ok);
        }
    }

    /// <summary>
    /// Finishes a column field: a value the column took clears whatever an earlier occurrence left in properties
    /// (the last occurrence wins); one it could not take goes to properties.
    /// </summary>
    private bool Finish(ref Utf8JsonReader reader, RawField field, bool inColumn)
    {
        if (inColumn)
        {
            _properties.Forget(field);
            return true;
        }

        reader.Skip();
        return false;
    }

    /// <summary>
    /// A string column's value: a string as its text, a number or boolean as its JSON text, null as null.
    /// False (and null) for an object, an array, or a string holding an unpaired surrogate escape.
    /// </summary>
    private bool TryReadText(ref Utf8JsonReader reader, RawField field, out string? text)
    {
        text = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                if (!TryGetString(ref reader, out var utf8))
                {
                    return false;
                }

                text = field == RawField.EventType && KnownEventTypes.TryMatch(utf8, out var known, out _)
                    ? known
                    : _interners[(int)field] is { } interner ? interner.Intern(utf8) : Encoding.UTF8.GetString(utf8);
                return true;
            case JsonTokenType.Number:
                text = Encoding.UTF8.GetString(reader.ValueSpan);
                return true;
            case JsonTokenType.True:
                text = "true";
                return true;
            case JsonTokenType.False:
                text = "false";
                return true;
            case JsonTokenType.Null:
                return true;
            default:
                return false;
        }
    }

    /// <summary>Records the members of a <c>properties</c> object; false for any other non-null value.</summary>
    private bool ReadProperties(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            // The last "properties" wins: an earlier object is replaced by this value.
            _properties.DropObject();
            return Finish(ref reader, RawField.Properties, reader.TokenType == JsonTokenType.Null);
        }

        _properties.Forget(RawField.Properties);
        _properties.BeginObject((int)reader.TokenStartIndex);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var nameStart = (int)reader.TokenStartIndex + 1;
            var nameLength = reader.ValueSpan.Length;
            var nameEscaped = reader.ValueIsEscaped;
            reader.Read();
            var valueStart = (int)reader.TokenStartIndex;
            reader.Skip();
            _properties.AddMember(new JsonMember(nameStart, nameLength, nameEscaped, valueStart, (int)reader.BytesConsumed, RawField.Unknown));
        }

        _properties.EndObject((int)reader.BytesConsumed);
        return true;
    }

    /// <summary>The unescaped UTF-8 of the current string or property name; copies only when it has escapes.</summary>
    private bool TryGetString(ref Utf8JsonReader reader, out ReadOnlySpan<byte> value)
    {
        if (!reader.ValueIsEscaped)
        {
            value = reader.ValueSpan;
            return true;
        }

        try
        {
            value = _scratch.AsSpan(0, reader.CopyString(_scratch));
            return true;
        }
        catch (InvalidOperationException)
        {
            // An unpaired \uD800-\uDFFF escape cannot be turned into UTF-8.
            value = default;
            return false;
        }
    }
}
