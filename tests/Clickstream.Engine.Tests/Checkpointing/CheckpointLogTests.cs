using Clickstream.Engine.Checkpointing;
using Clickstream.Engine.Tests.Execution;

namespace Clickstream.Engine.Tests.Checkpointing;

public sealed class CheckpointLogTests : IDisposable
{
    private static readonly Dictionary<string, string> Conf = new(StringComparer.Ordinal)
    {
        ["spark.sql.shuffle.partitions"] = "4",
        ["spark.sql.streaming.multipleWatermarkPolicy"] = "max",
        ["clickstream.stateFormatVersion"] = "1",
    };

    private readonly TempDirectory _dir = new("clickstream-ckpt");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void WriteOffsets_ThenReadOffsets_RoundTripsEveryField()
    {
        var log = new CheckpointLog(_dir.Path);
        var seq = new OffsetSeq(12_000, 1_700_000_000_123, Conf, ["42", null, "{\"logOffset\":3}"]);

        log.WriteOffsets(5, seq);
        var read = log.ReadOffsets(5);

        Assert.Equal(seq.BatchWatermarkMs, read.BatchWatermarkMs);
        Assert.Equal(seq.BatchTimestampMs, read.BatchTimestampMs);
        Assert.Equal(Conf.OrderBy(kv => kv.Key), read.Conf.OrderBy(kv => kv.Key));
        Assert.Equal(seq.SourceOffsets, read.SourceOffsets);
        Assert.Equal(5, log.LatestOffsetsId());
        Assert.Null(log.LatestCommitId());
    }

    [Fact]
    public void WriteOffsets_File_HasVersionLineMetadataLineAndOneLinePerSource()
    {
        var log = new CheckpointLog(_dir.Path);

        log.WriteOffsets(0, new OffsetSeq(0, 1000, Conf, ["3", null]));

        var lines = File.ReadAllText(Path.Combine(_dir.Path, "offsets", "0")).Split('\n');
        Assert.Equal("v1", lines[0]);
        Assert.Contains("\"batchWatermarkMs\":0", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"batchTimestampMs\":1000", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"spark.sql.shuffle.partitions\":\"4\"", lines[1], StringComparison.Ordinal);
        Assert.Equal(["3", "-", string.Empty], lines[2..]);
    }

    [Fact]
    public void WriteOffsets_SameBatchTwice_FailsNamingAnotherQuery()
    {
        var log = new CheckpointLog(_dir.Path);
        log.WriteOffsets(3, new OffsetSeq(0, 1, Conf, ["1"]));

        var e = Assert.Throws<InvalidOperationException>(() => new CheckpointLog(_dir.Path).WriteOffsets(3, new OffsetSeq(0, 2, Conf, ["2"])));

        Assert.Contains("offsets/3 already exists", e.Message, StringComparison.Ordinal);
        Assert.Contains("another query", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, log.ReadOffsets(3).BatchTimestampMs);
        Assert.Equal(["3"], Directory.EnumerateFileSystemEntries(Directory.CreateDirectory(Path.Combine(_dir.Path, "offsets")).FullName).Select(Path.GetFileName));
    }

    [Fact]
    public void WriteCommit_ThenReadCommitWatermark_RoundTrips()
    {
        var log = new CheckpointLog(_dir.Path);

        log.WriteCommit(0, 0);
        log.WriteCommit(1, 95_000);

        Assert.Equal(0, log.ReadCommitWatermark(0));
        Assert.Equal(95_000, log.ReadCommitWatermark(1));
        Assert.Equal(1, log.LatestCommitId());
        Assert.Equal("v1\n{\"nextBatchWatermarkMs\":95000}\n", File.ReadAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(_dir.Path, "commits")).FullName, "1")));
    }

    [Fact]
    public void WriteCommit_AlreadyCommitted_KeepsTheFirstCommit()
    {
        var log = new CheckpointLog(_dir.Path);
        log.WriteCommit(4, 10);

        log.WriteCommit(4, 10);

        Assert.Equal(10, log.ReadCommitWatermark(4));
        Assert.Single(Directory.EnumerateFileSystemEntries(Directory.CreateDirectory(Path.Combine(_dir.Path, "commits")).FullName));
    }

    [Fact]
    public void ReadOffsets_UnknownLogVersion_ThrowsInvalidData()
    {
        var log = new CheckpointLog(_dir.Path);
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(_dir.Path, "offsets")).FullName, "0"), "v2\n{}\n");

        var e = Assert.Throws<InvalidDataException>(() => log.ReadOffsets(0));
        Assert.Contains("v1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QueryId_ReopenedCheckpoint_IsStable()
    {
        var first = new CheckpointLog(_dir.Path).QueryId;

        var second = new CheckpointLog(_dir.Path).QueryId;

        Assert.Equal(first, second);
        Assert.True(Guid.TryParse(first, out _));
    }

    [Fact]
    public void LatestIds_IgnoreTemporaryAndForeignFiles()
    {
        var log = new CheckpointLog(_dir.Path);
        log.WriteOffsets(2, new OffsetSeq(0, 1, Conf, ["1"]));
        log.WriteCommit(2, 0);
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(_dir.Path, "offsets")).FullName, ".3.123.tmp"), "partial");
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(_dir.Path, "commits")).FullName, "notes"), "x");

        Assert.Equal(2, log.LatestOffsetsId());
        Assert.Equal(2, log.LatestCommitId());
    }

    [Fact]
    public void Purge_KeepFrom_DeletesOlderOffsetsAndCommitsOnly()
    {
        var log = new CheckpointLog(_dir.Path);
        for (var i = 0; i < 6; i++)
        {
            log.WriteOffsets(i, new OffsetSeq(0, i, Conf, ["1"]));
            log.WriteCommit(i, 0);
        }

        log.Purge(4);

        Assert.Equal(["4", "5"], Directory.EnumerateFiles(Directory.CreateDirectory(Path.Combine(_dir.Path, "offsets")).FullName).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["4", "5"], Directory.EnumerateFiles(Directory.CreateDirectory(Path.Combine(_dir.Path, "commits")).FullName).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
