using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Clickstream.Udfs;

/// <summary>
/// Parses and validates one NDJSON line into a <see cref="ClickEvent"/>, with no allocation per valid event
/// beyond first sightings of interned values. The rules are listed in this project's README.
/// </summary>
/// <remarks>
/// Not thread-safe: it owns a scratch buffer and the intern caches, so each worker thread creates its own.
/// Bad input never throws; it returns false with an <see cref="InvalidEvent"/>.
/// </remarks>
public sealed class EventParser
{
    /// <summary>The default limit on a line's length in bytes.</summary>
    public const int DefaultMaxEventBytes = 32 * 1024;

    /// <summary>How deep objects and arrays may nest inside an event before the line counts as not JSON.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    // Unescaped strings land here; unescaping never lengthens a string, so the line limit is enough.
    private readonly byte[] _scratch;
    private readonly StringInterner _otherTypes = new(capacity: 1024, maxCachedBytes: 64);
    private readonly StringInterner _categories = new(capacity: 4096, maxCachedBytes: 128);
    private readonly StringInterner _productIds = new(capacity: 64 * 1024, maxCachedBytes: 128);

    /// <summary>Creates a parser that rejects lines longer than <paramref name="maxEventBytes"/> as too large.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxEventBytes"/> is not positive.</exception>
    public EventParser(int maxEventBytes = DefaultMaxEventBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEventBytes);
        MaxEventBytes = maxEventBytes;
        _scratch = new byte[maxEventBytes];
    }

    /// <summary>The longest line, in bytes, that can be valid.</summary>
    public int MaxEventBytes { get; }

    /// <summary>
    /// Parses one line (without its newline; surrounding whitespace, a trailing <c>\r</c> and a leading byte order
    /// mark are ignored). Returns true with <paramref name="ev"/> for a valid event, otherwise false with
    /// <paramref name="error"/>. The output that does not apply is <c>default</c>.
    /// </summary>
    public bool TryParse(ReadOnlySpan<byte> utf8Line, out ClickEvent ev, out InvalidEvent error)
    {
        ev = default;
        if (utf8Line.Length > MaxEventBytes)
        {
            return Reject(out error, InvalidReason.TooLarge, $"the line is {utf8Line.Length} bytes, over the limit of {MaxEventBytes}");
        }

        var line = utf8Line.Trim(" \t\r\n"u8);
        if (line.StartsWith("\uFEFF"u8))
        {
            line = line[3..].TrimStart(" \t\r\n"u8);
        }

        if (line.IsEmpty)
        {
            return Reject(out error, InvalidReason.NotJson, "the line is empty");
        }

        // The reader checks JSON structure but not the UTF-8 inside strings; this check is vectorised and cheap.
        if (!Utf8.IsValid(line))
        {
            return Reject(out error, InvalidReason.BadEncoding, "the line is not valid UTF-8");
        }

        if (UseFastPath && TryFastPath(line, out ev))
        {
            error = default;
            return true;
        }

        var fields = default(ScannedFields);
        var reader = new Utf8JsonReader(line, ReaderOptions);
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                var root = reader.TokenType;
                reader.Skip();
                reader.Read();
                return Reject(out error, InvalidReason.NotAnObject, $"the line is {ScannedFields.Describe(root)}, not a JSON object");
            }

            ReadMembers(ref reader, ref fields);

            // Throws when anything but whitespace follows the object.
            reader.Read();
        }
        catch (JsonException e)
        {
            // Malformed input is rare, so the cost of the reader's exception is acceptable here.
            return Reject(out error, InvalidReason.NotJson, DescribeJsonError(e, reader.CurrentDepth, line), fields.ValidTimestamp);
        }

        if (fields.TryFindProblem(out var reason, out var detail))
        {
            return Reject(out error, reason, detail, fields.ValidTimestamp);
        }

        ev = new ClickEvent(
            fields.EventKey,
            fields.EventType!,
            fields.TypeCode,
            fields.TimestampMicros,
            fields.UserHash,
            fields.SessionKey,
            fields.Category,
            fields.ProductId);
        error = default;
        return true;
    }

    /// <summary>False forces every line through the full reader (tests compare the two paths).</summary>
    internal bool UseFastPath { get; set; } = true;

    /// <summary>The common case without tokenising the whole line; see <see cref="FastEventScanner"/>.</summary>
    private bool TryFastPath(ReadOnlySpan<byte> line, out ClickEvent ev)
    {
        ev = default;
        if (!FastEventScanner.TryScan(line, out var f)
            || !Iso8601.TryParseMicros(f.In(line, EventField.Timestamp), out var micros))
        {
            return false;
        }

        var type = f.In(line, EventField.EventType);
        if (!KnownEventTypes.TryMatch(type, out var name, out var code))
        {
            name = _otherTypes.Intern(type);
        }

        ev = new ClickEvent(
            XxHash128.HashToUInt128(f.In(line, EventField.EventId)),
            name,
            code,
            micros,
            XxHash3.HashToUInt64(f.In(line, EventField.UserId)),
            XxHash128.HashToUInt128(f.In(line, EventField.SessionId)),
            f.Has(EventField.Category, 1) ? _categories.Intern(f.In(line, EventField.Category)) : null,
            f.Has(EventField.ProductId, 1) ? _productIds.Intern(f.In(line, EventField.ProductId)) : null);
        return true;
    }

    private void ReadMembers(ref Utf8JsonReader reader, ref ScannedFields fields)
    {
        // Ends on the object's own EndObject: nested objects are consumed by Skip and never seen here.
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = TryGetString(ref reader, out var name) ? EventFieldNames.Match(name) : EventField.Unknown;
            if (field == EventField.Unknown)
            {
                reader.Skip();
                continue;
            }

            reader.Read();
            ReadValue(ref reader, field, ref fields);
        }
    }

    private void ReadValue(ref Utf8JsonReader reader, EventField field, ref ScannedFields fields)
    {
        var optional = field is EventField.Category or EventField.ProductId;
        var token = reader.TokenType;
        var status = FieldStatus.Present;
        if (token != JsonTokenType.String)
        {
            reader.Skip();
            status = FieldStatus.WrongType;
        }
        else if (!TryGetString(ref reader, out var value))
        {
            status = FieldStatus.BadEscape;
        }
        else if (value.IsEmpty)
        {
            status = FieldStatus.Empty;
        }
        else
        {
            status = Store(field, value, ref fields);
        }

        if (!optional)
        {
            fields.Mark(field, status, token);
        }
        else if (status != FieldStatus.Present && field == EventField.Category)
        {
            // A category or product id that is not a usable string is treated as absent, not as an error.
            fields.Category = null;
        }
        else if (status != FieldStatus.Present)
        {
            fields.ProductId = null;
        }
    }

    private FieldStatus Store(EventField field, ReadOnlySpan<byte> value, ref ScannedFields fields)
    {
        switch (field)
        {
            case EventField.EventId:
                fields.EventKey = XxHash128.HashToUInt128(value);
                break;
            case EventField.EventType:
                if (!KnownEventTypes.TryMatch(value, out var name, out var code))
                {
                    name = _otherTypes.Intern(value);
                }

                (fields.EventType, fields.TypeCode) = (name, code);
                break;
            case EventField.Timestamp:
                if (!Iso8601.TryParseMicros(value, out fields.TimestampMicros))
                {
                    fields.BadTimestampText = Encoding.UTF8.GetString(value[..Math.Min(value.Length, 64)]);
                    return FieldStatus.BadTimestamp;
                }

                break;
            case EventField.UserId:
                fields.UserHash = XxHash3.HashToUInt64(value);
                break;
            case EventField.SessionId:
                fields.SessionKey = XxHash128.HashToUInt128(value);
                break;
            case EventField.Category:
                fields.Category = _categories.Intern(value);
                break;
            default:
                fields.ProductId = _productIds.Intern(value);
                break;
        }

        return FieldStatus.Present;
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

    private static string DescribeJsonError(JsonException e, int depth, ReadOnlySpan<byte> line)
    {
        var position = e.BytePositionInLine ?? 0;
        if (position >= line.Length)
        {
            return "the line ends before the JSON value is complete";
        }

        // The reader stops one level short of the limit, on the bracket that would exceed it.
        return depth >= MaxDepth - 1 && line[(int)position] is (byte)'[' or (byte)'{'
            ? $"the JSON nests deeper than {MaxDepth} levels"
            : $"the line is not valid JSON (error at byte {position})";
    }

    private static bool Reject(out InvalidEvent error, InvalidReason reason, string detail, long? timestampMicros = null)
    {
        error = new InvalidEvent(reason, detail, timestampMicros);
        return false;
    }
}
