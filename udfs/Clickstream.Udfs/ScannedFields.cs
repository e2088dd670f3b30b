using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Clickstream.Udfs;

/// <summary>
/// What one pass over an event object found, held on the parser's stack for one line. A field seen twice is
/// overwritten, so the last occurrence of a duplicate key wins, for its value and for its problems alike.
/// </summary>
internal struct ScannedFields
{
    private const int RequiredCount = (int)EventField.SessionId;

    public UInt128 EventKey;
    public string? EventType;
    public EventTypeCode TypeCode;
    public long TimestampMicros;
    public ulong UserHash;
    public UInt128 SessionKey;
    public string? Category;
    public string? ProductId;

    /// <summary>The rejected timestamp text, kept only for the error detail.</summary>
    public string? BadTimestampText;

    private StatusArray _status;
    private TokenArray _tokens;

    /// <summary>The event time when the last <c>timestamp</c> seen was valid.</summary>
    public readonly long? ValidTimestamp =>
        _status[(int)EventField.Timestamp - 1] == FieldStatus.Present ? TimestampMicros : null;

    public void Mark(EventField required, FieldStatus status, JsonTokenType token = JsonTokenType.None)
    {
        _status[(int)required - 1] = status;
        _tokens[(int)required - 1] = token;
    }

    /// <summary>
    /// Finds the first problem, checking the required fields in <see cref="EventField"/> order, so that an event
    /// with several problems always gets the same reason.
    /// </summary>
    public readonly bool TryFindProblem(out InvalidReason reason, out string detail)
    {
        for (var i = 0; i < RequiredCount; i++)
        {
            var name = EventFieldNames.Name((EventField)(i + 1));
            switch (_status[i])
            {
                case FieldStatus.Present:
                    continue;
                case FieldStatus.Missing:
                    (reason, detail) = (InvalidReason.MissingField, $"missing field {name}");
                    return true;
                case FieldStatus.WrongType:
                    (reason, detail) = (InvalidReason.WrongType, $"field {name} must be a string, got {Describe(_tokens[i])}");
                    return true;
                case FieldStatus.Empty:
                    (reason, detail) = (InvalidReason.EmptyField, $"field {name} is empty");
                    return true;
                case FieldStatus.BadEscape:
                    (reason, detail) = (InvalidReason.BadEncoding, $"field {name} holds an unpaired \\u surrogate escape");
                    return true;
                default:
                    (reason, detail) = (InvalidReason.BadTimestamp, $"field {name} is not an ISO-8601 date-time with a zone: '{BadTimestampText}'");
                    return true;
            }
        }

        (reason, detail) = (default, string.Empty);
        return false;
    }

    /// <summary>Names a JSON token's type for error details: "a number", "null", "an array".</summary>
    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => "an unexpected token",
    };

    [InlineArray(RequiredCount)]
    private struct StatusArray
    {
        private FieldStatus _first;
    }

    [InlineArray(RequiredCount)]
    private struct TokenArray
    {
        private JsonTokenType _first;
    }
}
