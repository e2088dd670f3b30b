namespace Clickstream.Udfs.Raw;

/// <summary>
/// Where one object member is in the line: its name (the raw bytes between the quotes, escapes included) and
/// its value (the raw bytes of the whole JSON value). Values are copied from the line, never decoded.
/// </summary>
internal struct JsonMember
{
    public int NameStart;
    public int NameLength;
    public bool NameEscaped;
    public int ValueStart;
    public int ValueEnd;

    /// <summary>The column field this member came from, or <see cref="RawField.Unknown"/>.</summary>
    public RawField Field;

    /// <summary>Superseded by a later member of the same name (the last occurrence wins).</summary>
    public bool Dropped;

    /// <summary>How many <c>_top.</c> prefixes the name gets in <c>properties</c> to avoid a collision.</summary>
    public int Prefixes;

    /// <summary>XxHash3 of the unescaped name, once computed.</summary>
    public ulong NameHash;

    public JsonMember(int nameStart, int nameLength, bool nameEscaped, int valueStart, int valueEnd, RawField field)
    {
        NameStart = nameStart;
        NameLength = nameLength;
        NameEscaped = nameEscaped;
        ValueStart = valueStart;
        ValueEnd = valueEnd;
        Field = field;
    }
}
