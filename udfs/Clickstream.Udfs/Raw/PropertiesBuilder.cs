using System.Buffers;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;

namespace Clickstream.Udfs.Raw;

/// <summary>
/// Builds one event's <c>properties</c> column: the members of its <c>properties</c> object, then every top-level
/// field without a column of its own ("extras"), as one compact JSON object. Values are copied from the line
/// byte for byte (only whitespace between tokens is removed), so strings keep their exact escapes and numbers
/// their exact text. Reset per line; owned by one <see cref="RawEventExtractor"/>.
/// </summary>
/// <remarks>
/// Names: a top-level extra whose name is also a member of the <c>properties</c> object is written as
/// <c>_top.&lt;name&gt;</c> (the member keeps the plain name); in the pathological case where that name is taken too,
/// another <c>_top.</c> is added until it is free. A top-level name seen twice keeps its last occurrence, like
/// every other top-level field. Members inside the <c>properties</c> object are copied as sent.
/// </remarks>
internal sealed class PropertiesBuilder
{
    private const string EmptyObject = "{}";

    /// <summary>The table id of a name that is in use but is not a member of the properties object.</summary>
    private const int NotAMember = -1;
    private static readonly byte[] TopPrefix = "_top."u8.ToArray();
    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\r\n"u8);

    private readonly int[] _extraOfField = new int[RawFieldNames.Count];
    private readonly NameTable _names = new();
    private JsonMember[] _members = new JsonMember[16];
    private JsonMember[] _extras = new JsonMember[8];
    private int _memberCount;
    private int _extraCount;
    private int _objectStart;
    private int _objectEnd;
    private byte[] _output = new byte[1024];
    private int _written;
    private byte[] _nameA = new byte[256];
    private byte[] _nameB = new byte[256];

    public PropertiesBuilder() => Reset();

    public void Reset()
    {
        _memberCount = 0;
        _extraCount = 0;
        _objectStart = -1;
        Array.Fill(_extraOfField, -1);
    }

    /// <summary>Starts (or, for a repeated <c>properties</c> key, restarts) the <c>properties</c> object.</summary>
    public void BeginObject(int start)
    {
        _memberCount = 0;
        _objectStart = start;
    }

    public void AddMember(in JsonMember member)
    {
        if (_memberCount == _members.Length)
        {
            Array.Resize(ref _members, 2 * _memberCount);
        }

        _members[_memberCount++] = member;
    }

    public void EndObject(int end) => _objectEnd = end;

    /// <summary>Forgets the <c>properties</c> object: a later <c>properties</c> key was not an object.</summary>
    public void DropObject()
    {
        _memberCount = 0;
        _objectStart = -1;
    }

    /// <summary>Keeps a top-level member in <c>properties</c>; for a column field it replaces an earlier one.</summary>
    public void AddExtra(in JsonMember member)
    {
        Forget(member.Field);
        if (_extraCount == _extras.Length)
        {
            Array.Resize(ref _extras, 2 * _extraCount);
        }

        if (member.Field != RawField.Unknown)
        {
            _extraOfField[(int)member.Field] = _extraCount;
        }

        _extras[_extraCount++] = member;
    }

    /// <summary>A later occurrence of a column field went to its column: drop what an earlier one left here.</summary>
    public void Forget(RawField field)
    {
        if (field == RawField.Unknown)
        {
            return;
        }

        ref var index = ref _extraOfField[(int)field];
        if (index >= 0)
        {
            _extras[index].Dropped = true;
            index = -1;
        }
    }

    /// <summary>The <c>properties</c> column for the line read since <see cref="Reset"/>.</summary>
    public string Build(ReadOnlySpan<byte> line)
    {
        EnsureNameBuffers(line.Length);
        var extras = DropRepeatedExtras(line);
        if (extras == 0)
        {
            if (_memberCount == 0)
            {
                return EmptyObject;
            }

            // The common case: the properties object as sent is already compact and is the whole result.
            var obj = line[_objectStart.._objectEnd];
            if (!obj.ContainsAny(Whitespace))
            {
                return Encoding.UTF8.GetString(obj);
            }
        }
        else if (_memberCount > 0)
        {
            PrefixCollidingExtras(line);
        }

        _written = 0;
        Write("{"u8);
        for (var i = 0; i < _memberCount; i++)
        {
            WriteMember(line, in _members[i], first: i == 0);
        }

        for (var i = 0; i < _extraCount; i++)
        {
            if (!_extras[i].Dropped)
            {
                WriteMember(line, in _extras[i], first: _written == 1);
            }
        }

        Write("}"u8);
        return Encoding.UTF8.GetString(_output, 0, _written);
    }

    /// <summary>Marks all but the last of same-named extras as dropped; returns how many are left.</summary>
    private int DropRepeatedExtras(ReadOnlySpan<byte> line)
    {
        var live = 0;
        for (var i = 0; i < _extraCount; i++)
        {
            live += _extras[i].Dropped ? 0 : 1;
        }

        if (live < 2)
        {
            return live;
        }

        _names.Reset(live);
        for (var i = _extraCount - 1; i >= 0; i--)
        {
            ref var extra = ref _extras[i];
            if (extra.Dropped)
            {
                continue;
            }

            extra.NameHash = NameHash(line, in extra);
            if (FindName(line, in extra, _extras))
            {
                extra.Dropped = true;
                live--;
            }
            else
            {
                _names.Add(extra.NameHash, i);
            }
        }

        return live;
    }

    /// <summary>Gives <c>_top.</c> to each extra whose name is also a member of the properties object.</summary>
    private void PrefixCollidingExtras(ReadOnlySpan<byte> line)
    {
        _names.Reset(_memberCount + (2 * _extraCount));
        for (var i = 0; i < _memberCount; i++)
        {
            _members[i].NameHash = NameHash(line, in _members[i]);
            _names.Add(_members[i].NameHash, i);
        }

        var collisions = false;
        for (var i = 0; i < _extraCount; i++)
        {
            ref var extra = ref _extras[i];
            if (!extra.Dropped)
            {
                extra.NameHash = NameHash(line, in extra);
                extra.Prefixes = FindName(line, in extra, _members) ? 1 : 0;
                collisions |= extra.Prefixes > 0;
            }
        }

        if (!collisions)
        {
            return;
        }

        // Every name in use is now in the table; a prefixed name must avoid them all and each other. Only hashes are
        // compared here: a false match could only add one more prefix, never lose a value.
        for (var i = 0; i < _extraCount; i++)
        {
            if (!_extras[i].Dropped)
            {
                _names.Add(_extras[i].NameHash, NotAMember);
            }
        }

        for (var i = 0; i < _extraCount; i++)
        {
            ref var extra = ref _extras[i];
            if (extra.Dropped || extra.Prefixes == 0)
            {
                continue;
            }

            ulong hash;
            while (_names.Contains(hash = PrefixedHash(line, in extra)))
            {
                extra.Prefixes++;
            }

            _names.Add(hash, NotAMember);
        }
    }

    /// <summary>Whether a member of <paramref name="candidates"/> in the table has the same unescaped name as <paramref name="member"/>.</summary>
    private bool FindName(ReadOnlySpan<byte> line, in JsonMember member, JsonMember[] candidates)
    {
        var cursor = -1;
        while (_names.Next(member.NameHash, ref cursor, out var id))
        {
            if (id != NotAMember && Name(line, in member, _nameA).SequenceEqual(Name(line, in candidates[id], _nameB)))
            {
                return true;
            }
        }

        return false;
    }

    private ulong NameHash(ReadOnlySpan<byte> line, in JsonMember member) => XxHash3.HashToUInt64(Name(line, in member, _nameA));

    private ulong PrefixedHash(ReadOnlySpan<byte> line, in JsonMember member)
    {
        var name = Name(line, in member, _nameA);
        var length = (member.Prefixes * TopPrefix.Length) + name.Length;
        if (_nameB.Length < length)
        {
            _nameB = new byte[Math.Max(length, 2 * _nameB.Length)];
        }

        for (var i = 0; i < member.Prefixes; i++)
        {
            TopPrefix.CopyTo(_nameB, i * TopPrefix.Length);
        }

        name.CopyTo(_nameB.AsSpan(member.Prefixes * TopPrefix.Length));
        return XxHash3.HashToUInt64(_nameB.AsSpan(0, length));
    }

    /// <summary>The unescaped UTF-8 of a member's name; names with an unpaired surrogate escape compare as written.</summary>
    private static ReadOnlySpan<byte> Name(ReadOnlySpan<byte> line, in JsonMember member, byte[] scratch)
    {
        var raw = line.Slice(member.NameStart, member.NameLength);
        if (!member.NameEscaped)
        {
            return raw;
        }

        // The quoted name on its own is a JSON string, so the reader can unescape it.
        var reader = new Utf8JsonReader(line.Slice(member.NameStart - 1, member.NameLength + 2));
        reader.Read();
        try
        {
            return scratch.AsSpan(0, reader.CopyString(scratch));
        }
        catch (InvalidOperationException)
        {
            return raw;
        }
    }

    private void EnsureNameBuffers(int lineLength)
    {
        if (_nameA.Length < lineLength)
        {
            _nameA = new byte[lineLength];
            _nameB = new byte[Math.Max(lineLength, _nameB.Length)];
        }
    }

    private void WriteMember(ReadOnlySpan<byte> line, in JsonMember member, bool first)
    {
        Write(first ? "\""u8 : ",\""u8);
        for (var i = 0; i < member.Prefixes; i++)
        {
            Write(TopPrefix);
        }

        Write(line.Slice(member.NameStart, member.NameLength));
        Write("\":"u8);
        var value = line[member.ValueStart..member.ValueEnd];

        // Only objects and arrays can hold whitespace between tokens.
        if (value[0] is not ((byte)'{' or (byte)'[') || !value.ContainsAny(Whitespace))
        {
            Write(value);
            return;
        }

        Reserve(value.Length);
        var inString = false;
        for (var i = 0; i < value.Length; i++)
        {
            var b = value[i];
            if (inString)
            {
                _output[_written++] = b;
                if (b == '\\')
                {
                    _output[_written++] = value[++i];
                }
                else if (b == '"')
                {
                    inString = false;
                }
            }
            else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                _output[_written++] = b;
                inString = b == '"';
            }
        }
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_output.AsSpan(_written));
        _written += bytes.Length;
    }

    private void Reserve(int length)
    {
        if (_output.Length - _written < length)
        {
            Array.Resize(ref _output, Math.Max(_written + length, 2 * _output.Length));
        }
    }
}
