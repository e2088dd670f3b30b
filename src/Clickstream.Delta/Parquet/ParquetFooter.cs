using System.Buffers.Binary;
using System.Text;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// Renames the root of a Parquet file's schema. Parquet.Net always names it <c>root</c>; Spark names it
/// <c>spark_schema</c>. Readers ignore the name, but checkpoints copy Spark's layout exactly.
/// </summary>
/// <remarks>
/// The footer is Thrift compact protocol: <c>FileMetaData</c> field 1 is the format version (i32), field 2 the
/// schema list, whose first element is the root <c>SchemaElement</c> with its name in field 4. Only that string is
/// replaced; nothing in the footer points at byte offsets inside the footer, so the rest stays valid, and the
/// footer length before the trailing magic is rewritten.
/// </remarks>
internal static class ParquetFooter
{
    private const int ThriftBooleanTrue = 1;
    private const int ThriftBooleanFalse = 2;
    private const int ThriftI16 = 4;
    private const int ThriftI32 = 5;
    private const int ThriftI64 = 6;
    private const int ThriftBinary = 8;
    private const int ThriftList = 9;
    private const int ThriftStruct = 12;

    /// <summary>A copy of <paramref name="file"/> whose schema root is named <paramref name="name"/>.</summary>
    /// <exception cref="InvalidDataException">The footer does not have the expected shape.</exception>
    public static byte[] RenameRoot(byte[] file, string name)
    {
        if (file.Length < 12 || !file.AsSpan(file.Length - 4).SequenceEqual("PAR1"u8))
        {
            throw new InvalidDataException("not a Parquet file");
        }

        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 8));
        var footerStart = file.Length - 8 - footerLength;
        var footer = file.AsSpan(footerStart, footerLength);
        var (nameStart, nameEnd) = FindRootName(footer);

        var newName = Encoding.UTF8.GetBytes(name);
        Span<byte> lengthVarint = stackalloc byte[5];
        var lengthSize = WriteVarint(lengthVarint, (uint)newName.Length);

        var newFooterLength = footerLength - (nameEnd - nameStart) + lengthSize + newName.Length;
        var result = new byte[footerStart + newFooterLength + 8];
        file.AsSpan(0, footerStart + nameStart).CopyTo(result);
        var at = footerStart + nameStart;
        lengthVarint[..lengthSize].CopyTo(result.AsSpan(at));
        at += lengthSize;
        newName.CopyTo(result.AsSpan(at));
        at += newName.Length;
        footer[nameEnd..].CopyTo(result.AsSpan(at));
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(result.Length - 8), newFooterLength);
        "PAR1"u8.CopyTo(result.AsSpan(result.Length - 4));
        return result;
    }

    /// <summary>The byte range (length prefix included) of the root element's name within the footer.</summary>
    private static (int Start, int End) FindRootName(ReadOnlySpan<byte> footer)
    {
        var at = 0;
        var fieldId = 0;

        // FileMetaData: skip to field 2 (the schema list).
        while (true)
        {
            var (id, type) = ReadFieldHeader(footer, ref at, ref fieldId);
            if (id == 2 && type == ThriftList)
            {
                break;
            }

            SkipInteger(footer, ref at, type);
        }

        var listHeader = footer[at++];
        if ((listHeader & 0x0F) != ThriftStruct)
        {
            throw new InvalidDataException("Parquet footer: the schema is not a list of structs");
        }

        if ((listHeader >> 4) == 0x0F)
        {
            ReadVarint(footer, ref at); // element count that did not fit in the header
        }

        // The first SchemaElement: skip its leading integer fields (type, type_length, repetition_type) to the name.
        fieldId = 0;
        while (true)
        {
            var (id, type) = ReadFieldHeader(footer, ref at, ref fieldId);
            if (id == 4 && type == ThriftBinary)
            {
                var start = at;
                var length = (int)ReadVarint(footer, ref at);
                return (start, at + length);
            }

            SkipInteger(footer, ref at, type);
        }
    }

    private static (int Id, int Type) ReadFieldHeader(ReadOnlySpan<byte> footer, ref int at, ref int lastId)
    {
        var header = footer[at++];
        var type = header & 0x0F;
        if (type == 0)
        {
            throw new InvalidDataException("Parquet footer: unexpected end of struct");
        }

        var delta = header >> 4;
        lastId = delta != 0 ? lastId + delta : ZigZag(ReadVarint(footer, ref at));
        return (lastId, type);
    }

    private static void SkipInteger(ReadOnlySpan<byte> footer, ref int at, int type)
    {
        // Only integer (and boolean) fields precede the ones looked for: booleans carry their value in the type,
        // i16/i32/i64 are varints.
        switch (type)
        {
            case ThriftBooleanTrue or ThriftBooleanFalse:
                break;
            case ThriftI16 or ThriftI32 or ThriftI64:
                ReadVarint(footer, ref at);
                break;
            default:
                throw new InvalidDataException($"Parquet footer: unexpected field type {type}");
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException("Parquet footer: malformed varint");
    }

    private static int WriteVarint(Span<byte> destination, uint value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    private static int ZigZag(ulong value) => (int)(value >> 1) ^ -(int)(value & 1);
}
