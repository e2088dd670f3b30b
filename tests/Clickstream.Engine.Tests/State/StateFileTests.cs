using System.IO.Hashing;
using Clickstream.Engine.State;
using Clickstream.Engine.Tests.Execution;

namespace Clickstream.Engine.Tests.State;

public sealed class StateFileTests : IDisposable
{
    private readonly TempDirectory _dir = new("clickstream-statefile");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Write_ThreeRecords_MatchesTheDocumentedLayout()
    {
        var path = WriteSample(StateFile.KindDelta);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal("CSSF"u8.ToArray(), bytes[..4]);
        Assert.Equal(1, bytes[4]);
        Assert.Equal(StateFile.KindDelta, bytes[5]);
        Assert.Equal(StateFile.TagPut, bytes[6]);
        Assert.Equal(0xFF, bytes[^13]);
        Assert.Equal(3L, BitConverter.ToInt64(bytes, bytes.Length - 12));
        Assert.Equal(Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4)), BitConverter.ToUInt32(bytes, bytes.Length - 4));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Read_WrittenFile_ReturnsRecordsInOrder()
    {
        var path = WriteSample(StateFile.KindSnapshot);
        var records = new List<(byte Tag, long Key)>();

        StateFile.Read(path, StateFile.KindSnapshot, (tag, r) => records.Add((tag, r.ReadInt64())));

        Assert.Equal([(StateFile.TagPut, 1L), (StateFile.TagDelete, 2L), (StateFile.TagPut, 3L)], records);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(10)]
    [InlineData(-13)]
    [InlineData(-10)]
    [InlineData(-1)]
    public void Read_OneFlippedByte_ThrowsChecksumMismatchNamingTheFile(int index)
    {
        var path = WriteSample(StateFile.KindDelta);
        var bytes = File.ReadAllBytes(path);
        bytes[index < 0 ? bytes.Length + index : index] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => StateFile.Read(path, StateFile.KindDelta, Skip));
        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WrongMagic_ThrowsNotAStateFile()
    {
        var path = WriteSample(StateFile.KindDelta);
        var bytes = File.ReadAllBytes(path);
        "PAR1"u8.CopyTo(bytes);
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => StateFile.Read(path, StateFile.KindDelta, Skip));
        Assert.Contains("bad magic", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(18)]
    public void Read_TruncatedBelowTheMinimumSize_ThrowsTruncated(int length)
    {
        var path = WriteSample(StateFile.KindDelta);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..length]);

        var e = Assert.Throws<InvalidDataException>(() => StateFile.Read(path, StateFile.KindDelta, Skip));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(12)]
    public void Read_TruncatedTail_ThrowsInvalidData(int cut)
    {
        var path = WriteSample(StateFile.KindDelta);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^cut]);

        var e = Assert.Throws<InvalidDataException>(() => StateFile.Read(path, StateFile.KindDelta, Skip));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownFormatVersion_ThrowsNamingTheVersion()
    {
        var path = WriteSample(StateFile.KindDelta);
        var bytes = File.ReadAllBytes(path);
        bytes[4] = 2;
        RewriteChecksum(bytes);
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => StateFile.Read(path, StateFile.KindDelta, Skip));
        Assert.Contains("format version 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SnapshotWhereDeltaExpected_ThrowsWrongKind()
    {
        var path = WriteSample(StateFile.KindSnapshot);

        var e = Assert.Throws<InvalidDataException>(() => StateFile.Read(path, StateFile.KindDelta, Skip));
        Assert.Contains("kind 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownRecordTag_Throws()
    {
        var path = Path.Combine(_dir.Path, "1.delta");
        StateFile.Write(path, StateFile.KindDelta, w =>
        {
            w.Write((byte)7);
            w.Write(1L);
            return 1;
        });

        var e = Assert.Throws<InvalidDataException>(() => StateFile.Read(path, StateFile.KindDelta, Skip));
        Assert.Contains("unknown record tag 7", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RecordCountMismatch_Throws()
    {
        var path = Path.Combine(_dir.Path, "1.delta");
        StateFile.Write(path, StateFile.KindDelta, w =>
        {
            w.Write(StateFile.TagPut);
            w.Write(1L);
            return 2;
        });

        var e = Assert.Throws<InvalidDataException>(() => StateFile.Read(path, StateFile.KindDelta, Skip));
        Assert.Contains("record count", e.Message, StringComparison.Ordinal);
    }

    private static void Skip(byte tag, BinaryReader r) => r.ReadInt64();

    private static void RewriteChecksum(byte[] bytes) =>
        BitConverter.TryWriteBytes(bytes.AsSpan(bytes.Length - 4), Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4)));

    private string WriteSample(byte kind)
    {
        var path = Path.Combine(_dir.Path, kind == StateFile.KindDelta ? "1.delta" : "1.snapshot");
        StateFile.Write(path, kind, w =>
        {
            w.Write(StateFile.TagPut);
            w.Write(1L);
            w.Write(StateFile.TagDelete);
            w.Write(2L);
            w.Write(StateFile.TagPut);
            w.Write(3L);
            return 3;
        });
        return path;
    }
}
