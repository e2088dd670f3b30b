using System.IO.Hashing;

namespace Clickstream.Engine.State;

/// <summary>
/// Reads and writes one state-store file (a delta or a snapshot) in the format of
/// <c>docs/formats/state-store.md</c>: magic <c>CSSF</c>, a format version byte, a kind byte, tagged records,
/// an end tag, the record count and a CRC-32 of everything before it. Files are written to a temporary name,
/// flushed to disk and renamed, so a crash never leaves a half-written version behind.
/// </summary>
internal static class StateFile
{
    public const byte FormatVersion = 1;
    public const byte KindDelta = 1;
    public const byte KindSnapshot = 2;
    public const byte TagPut = 1;
    public const byte TagDelete = 2;

    /// <summary>Operator metadata that applies to the records after it (e.g. the dedup state's expiry base).</summary>
    public const byte TagMeta = 3;
    public const byte TagEnd = 0xFF;

    private static ReadOnlySpan<byte> Magic => "CSSF"u8;

    public static string PathFor(string dir, long version, bool snapshot) =>
        Path.Combine(dir, version.ToString(System.Globalization.CultureInfo.InvariantCulture) + (snapshot ? ".snapshot" : ".delta"));

    /// <summary>Writes a file; <paramref name="body"/> writes the records (with their tags) and returns how many it wrote.</summary>
    public static void Write(string path, byte kind, Func<BinaryWriter, long> body)
    {
        var tmp = path + ".tmp";
        using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            var crc = new Crc32();
            using var hashing = new HashingStream(file, crc);

            // Records are tiny; buffer them so the checksum and the file see large writes.
            using var buffered = new BufferedStream(hashing, 1 << 16);
            using (var writer = new BinaryWriter(buffered, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(FormatVersion);
                writer.Write(kind);
                var count = body(writer);
                writer.Write(TagEnd);
                writer.Write(count);
            }

            buffered.Flush();

            Span<byte> sum = stackalloc byte[4];
            crc.GetCurrentHash(sum);
            file.Write(sum);
            file.Flush(flushToDisk: true);
        }

        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>The record count from a file's trailer (without reading the records), for sizing before a load.</summary>
    public static long RecordCount(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        if (file.Length < 4 + 2 + 1 + 8 + 4)
        {
            throw new InvalidDataException($"state file {path} is truncated");
        }

        Span<byte> trailer = stackalloc byte[8];
        file.Seek(-12, SeekOrigin.End);
        file.ReadExactly(trailer);
        return BitConverter.ToInt64(trailer);
    }

    /// <summary>Reads a file, calling <paramref name="onRecord"/> for each record with its tag; verifies the trailer.</summary>
    public static void Read(string path, byte expectedKind, Action<byte, BinaryReader> onRecord)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 4 + 2 + 1 + 8 + 4 || !bytes.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"state file {path} is not a state file (bad magic or truncated)");
        }

        if (bytes[4] != FormatVersion)
        {
            throw new InvalidDataException($"state file {path} has format version {bytes[4]}; this build reads version {FormatVersion}");
        }

        if (bytes[5] != expectedKind)
        {
            throw new InvalidDataException($"state file {path} has kind {bytes[5]}, expected {expectedKind}");
        }

        var stored = BitConverter.ToUInt32(bytes, bytes.Length - 4);
        var actual = Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4));
        if (stored != actual)
        {
            throw new InvalidDataException($"state file {path} is corrupt (checksum mismatch)");
        }

        using var reader = new BinaryReader(new MemoryStream(bytes, 6, bytes.Length - 10, writable: false));
        long count = 0;
        while (true)
        {
            var tag = reader.ReadByte();
            if (tag == TagEnd)
            {
                break;
            }

            if (tag is not (TagPut or TagDelete or TagMeta))
            {
                throw new InvalidDataException($"state file {path} has an unknown record tag {tag}");
            }

            onRecord(tag, reader);
            count++;
        }

        if (reader.ReadInt64() != count)
        {
            throw new InvalidDataException($"state file {path} record count does not match");
        }
    }

    private sealed class HashingStream(Stream inner, Crc32 crc) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            crc.Append(buffer);
            inner.Write(buffer);
        }
    }
}
