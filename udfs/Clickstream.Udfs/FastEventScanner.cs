using System.Buffers;

namespace Clickstream.Udfs;

/// <summary>
/// The fast path of <see cref="EventParser"/>: one validating pass over a line that finds the seven fields the job
/// reads without tokenising the rest. It accepts only the common case — a well-formed JSON object whose known
/// fields are plain (unescaped) strings, each present once, nesting at most 32 deep — and returns false for
/// anything else, in which case the parser's full <c>Utf8JsonReader</c> path decides, with its exact error
/// details. So the fast path can only be faster, never more lenient: everything it accepts is valid JSON.
/// </summary>
internal static class FastEventScanner
{
    private const int MaxDepth = 32;

    // Bytes that end a run of plain string content: the closing quote, an escape, or a control character.
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        [(byte)'"', (byte)'\\', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);

    /// <summary>Where each known field's value is in the line, indexed by <see cref="EventField"/>; length −1 = absent.</summary>
    [System.Runtime.CompilerServices.InlineArray(8)]
    internal struct Fields
    {
        private (int Start, int Length) _first;

        public readonly bool Has(EventField field, int minLength) => this[(int)field].Length >= minLength;

        public readonly ReadOnlySpan<byte> In(ReadOnlySpan<byte> line, EventField field) => line.Slice(this[(int)field].Start, this[(int)field].Length);
    }

    /// <summary>Scans <paramref name="s"/> (already trimmed); false means "let the full parser decide".</summary>
    public static bool TryScan(ReadOnlySpan<byte> s, out Fields fields)
    {
        fields = default;
        ((Span<(int Start, int Length)>)fields).Fill((0, -1));
        var i = 0;
        if (s.Length < 2 || s[0] != '{')
        {
            return false;
        }

        i = SkipWs(s, 1);
        if (i >= s.Length || s[i] == '}')
        {
            return false; // an empty object misses every required field: the full parser reports it
        }

        while (true)
        {
            if (i >= s.Length || s[i] != '"')
            {
                return false;
            }

            var keyStart = i + 1;
            var keyEnd = PlainStringEnd(s, keyStart);
            if (keyEnd < 0)
            {
                return false; // escaped or unterminated key
            }

            var field = EventFieldNames.Match(s[keyStart..keyEnd]);
            i = SkipWs(s, keyEnd + 1);
            if (i >= s.Length || s[i] != ':')
            {
                return false;
            }

            i = SkipWs(s, i + 1);
            if (i >= s.Length)
            {
                return false;
            }

            if (field == EventField.Unknown)
            {
                i = SkipValue(s, i, 1);
                if (i < 0)
                {
                    return false;
                }
            }
            else
            {
                if (field >= EventField.Category && s[i..].StartsWith("null"u8))
                {
                    // An optional field set to null counts as absent, as in the full parser.
                    if (!Record(ref fields, field, i, 0))
                    {
                        return false;
                    }

                    i += 4;
                    goto next;
                }

                if (s[i] != '"')
                {
                    return false; // not a string: the full parser decides (wrong type, or absent for optional fields)
                }

                var valueEnd = PlainStringEnd(s, i + 1);
                if (valueEnd < 0 || !Record(ref fields, field, i + 1, valueEnd - i - 1))
                {
                    return false;
                }

                i = valueEnd + 1;
            }

        next:
            i = SkipWs(s, i);
            if (i >= s.Length)
            {
                return false;
            }

            if (s[i] == ',')
            {
                i = SkipWs(s, i + 1);
                continue;
            }

            if (s[i] != '}')
            {
                return false;
            }

            i++;
            break;
        }

        return i == s.Length
            && fields.Has(EventField.EventId, 1) && fields.Has(EventField.EventType, 1) && fields.Has(EventField.Timestamp, 1)
            && fields.Has(EventField.UserId, 1) && fields.Has(EventField.SessionId, 1);
    }

    private static bool Record(ref Fields f, EventField field, int start, int length)
    {
        ref var slot = ref f[(int)field];
        if (slot.Length != -1)
        {
            return false; // a duplicate key: the full parser applies "last one wins" with all its details
        }

        slot = (start, length);
        return true;
    }

    private static int SkipWs(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length && s[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            i++;
        }

        return i;
    }

    /// <summary>The index of the closing quote of a string with no escapes starting at <paramref name="i"/>, or −1.</summary>
    private static int PlainStringEnd(ReadOnlySpan<byte> s, int i)
    {
        var n = s[i..].IndexOfAny(StringStops);
        return n >= 0 && s[i + n] == '"' ? i + n : -1;
    }

    /// <summary>Validates and skips one JSON value at <paramref name="i"/>; returns the index after it, or −1.</summary>
    private static int SkipValue(ReadOnlySpan<byte> s, int i, int depth)
    {
        if (i >= s.Length)
        {
            return -1;
        }

        switch (s[i])
        {
            case (byte)'"':
                return SkipString(s, i + 1);
            case (byte)'{':
                return SkipContainer(s, i + 1, depth + 1, (byte)'}', keyed: true);
            case (byte)'[':
                return SkipContainer(s, i + 1, depth + 1, (byte)']', keyed: false);
            case (byte)'t':
                return s[i..].StartsWith("true"u8) ? i + 4 : -1;
            case (byte)'f':
                return s[i..].StartsWith("false"u8) ? i + 5 : -1;
            case (byte)'n':
                return s[i..].StartsWith("null"u8) ? i + 4 : -1;
            default:
                return SkipNumber(s, i);
        }
    }

    private static int SkipContainer(ReadOnlySpan<byte> s, int i, int depth, byte close, bool keyed)
    {
        if (depth > MaxDepth)
        {
            return -1;
        }

        i = SkipWs(s, i);
        if (i < s.Length && s[i] == close)
        {
            return i + 1;
        }

        while (true)
        {
            if (keyed)
            {
                if (i >= s.Length || s[i] != '"')
                {
                    return -1;
                }

                i = SkipString(s, i + 1);
                if (i < 0)
                {
                    return -1;
                }

                i = SkipWs(s, i);
                if (i >= s.Length || s[i] != ':')
                {
                    return -1;
                }

                i = SkipWs(s, i + 1);
            }

            i = SkipValue(s, i, depth);
            if (i < 0)
            {
                return -1;
            }

            i = SkipWs(s, i);
            if (i >= s.Length)
            {
                return -1;
            }

            if (s[i] == close)
            {
                return i + 1;
            }

            if (s[i] != ',')
            {
                return -1;
            }

            i = SkipWs(s, i + 1);
        }
    }

    /// <summary>Skips a string body starting after its opening quote, validating escapes.</summary>
    private static int SkipString(ReadOnlySpan<byte> s, int i)
    {
        while (true)
        {
            var n = s[i..].IndexOfAny(StringStops);
            if (n < 0)
            {
                return -1;
            }

            i += n;
            if (s[i] == '"')
            {
                return i + 1;
            }

            if (s[i] != '\\' || i + 1 >= s.Length)
            {
                return -1; // a raw control character, or a dangling backslash
            }

            switch (s[i + 1])
            {
                case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                    i += 2;
                    break;
                case (byte)'u':
                    if (i + 6 > s.Length || !IsHex(s[i + 2]) || !IsHex(s[i + 3]) || !IsHex(s[i + 4]) || !IsHex(s[i + 5]))
                    {
                        return -1;
                    }

                    i += 6;
                    break;
                default:
                    return -1;
            }
        }
    }

    // RFC 8259: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    private static int SkipNumber(ReadOnlySpan<byte> s, int i)
    {
        if (i < s.Length && s[i] == '-')
        {
            i++;
        }

        if (i >= s.Length || !IsDigit(s[i]))
        {
            return -1;
        }

        if (s[i] == '0')
        {
            i++;
        }
        else
        {
            while (i < s.Length && IsDigit(s[i]))
            {
                i++;
            }
        }

        if (i < s.Length && s[i] == '.')
        {
            i++;
            if (i >= s.Length || !IsDigit(s[i]))
            {
                return -1;
            }

            while (i < s.Length && IsDigit(s[i]))
            {
                i++;
            }
        }

        if (i < s.Length && s[i] is (byte)'e' or (byte)'E')
        {
            i++;
            if (i < s.Length && s[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            if (i >= s.Length || !IsDigit(s[i]))
            {
                return -1;
            }

            while (i < s.Length && IsDigit(s[i]))
            {
                i++;
            }
        }

        return i;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool IsHex(byte b) => IsDigit(b) || (uint)((b | 0x20) - 'a') <= 5;
}
