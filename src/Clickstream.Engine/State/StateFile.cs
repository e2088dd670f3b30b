using System.IO.Hashing;
using Clickstream.Engine.Checkpointing;

namespace Clickstream.Engine.State;

/// <summary>
/// Reads and writes one state-store file (a delta or a snapshot) in the format of
/// <c>docs/formats/state-store.md</c>: magic <c>CSSF</c>, a format version byte, a kind byte, tagged records,
/// an end tag, the record count and a CRC-32 of everything before it. Files are replaced atomically by the checkpoint
/// store, so a crash never leaves a half-written version behind.
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

    /// <summary>The file name of a version.</summary>
    public static string NameFor(long version, bool snapshot) =>
        version.ToString(System.Globalization.CultureInfo.InvariantCulture) + (snapshot ? ".snapshot" : ".delta");

    /// <summary>Writes a file in a local folder (tests and tools).</summary>
    public static void Write(string path, byte kind, Func<BinaryWriter, long> body) =>
        Write(CheckpointFolder.FromLocalPath(Path.GetDirectoryName(Path.GetFullPath(path))!), Path.GetFileName(path), kind, body);

    /// <summary>
    /// Writes a file into <paramref name="dir"/>; <paramref name="body"/> writes the records (with their tags) and
    /// returns how many it wrote. The store replaces the object atomically.
    /// </summary>
    public static void Write(CheckpointFolder dir, string name, byte kind, Func<BinaryWriter, long> body)
    {
        dir.Write(name, file =>
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
        });
    }

    /// <summary>Reads a file's bytes from <paramref name="dir"/>; a missing file is an error naming it.</summary>
    public static byte[] Load(CheckpointFolder dir, string name) =>
        dir.Read(name) ?? throw new InvalidDataException($"state file {dir.Describe(name)} is missing");

    /// <summary>The record count from a file's trailer (without reading the records), for sizing before a load.</summary>
    public static long RecordCount(byte[] bytes, string location)
    {
        if (bytes.Length < 4 + 2 + 1 + 8 + 4)
        {
            throw new InvalidDataException($"state file {location} is truncated");
        }

        return BitConverter.ToInt64(bytes, bytes.Length - 12);
    }

    /// <summary>Reads a local file (tests and tools).</summary>
    public static void Read(string path, byte expectedKind, Action<byte, BinaryReader> onRecord) =>
        Read(File.ReadAllBytes(path), path, expectedKind, onRecord);

    /// <summary>Reads a file's records, calling <paramref name="onRecord"/> for each with its tag; verifies the trailer.</summary>
    public static void Read(byte[] bytes, string path, byte expectedKind, Action<byte, BinaryReader> onRecord)
    {
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
