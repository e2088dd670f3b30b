using Clickstream.Engine.Sources;

namespace Clickstream.Engine.Tests.Sources;

public sealed class FileSourceTests
{
    private const string Offset0 = """{"logOffset":0}""";
    private const string Offset1 = """{"logOffset":1}""";
    private const string Offset2 = """{"logOffset":2}""";

    [Fact]
    public void Description_Folder_NamesFolder()
    {
        var source = new FileSource<RecordedLine>("/data/landing", () => new RecordingDecoder());

        Assert.Equal("FileSource[/data/landing]", source.Description);
    }

    [Fact]
    public void LatestOffset_FilesWithMtimesAndNames_OrdersByMtimeThenName()
    {
        using var folder = new SourceFolder();
        var b = folder.Write("b.json", "b\n", secondsAfterBase: 10);
        var a = folder.Write("a.json", "a\n", secondsAfterBase: 10);
        var z = folder.Write("z.json", "z\n", secondsAfterBase: 0);
        var c = folder.Write("c.json", "c\n", secondsAfterBase: 20);
        using var reader = folder.Reader(folder.Source());

        var end = reader.LatestOffset(null);

        Assert.Equal(Offset0, end);
        Assert.Equal([z, a, b, c], SourceFolder.PlannedFiles(reader, null, end!));
    }

    [Fact]
    public void LatestOffset_HiddenAndInProgressFiles_AreIgnored()
    {
        using var folder = new SourceFolder();
        var good = folder.Write("events-1.json", "ok\n");
        folder.Write(".hidden.json", "hidden\n");
        folder.Write("_SUCCESS", "marker\n");
        folder.Write("events-2.json.tmp", "tmp\n");
        folder.Write("events-3.json.TMP", "tmp\n");
        folder.Write("events-4.json.temporary", "temporary\n");
        folder.Write("events-5.json.partial", "partial\n");
        Directory.CreateDirectory(Path.Combine(folder.Data, "nested"));
        File.WriteAllText(Path.Combine(folder.Data, "nested", "deep.json"), "nested\n");
        using var reader = folder.Reader(folder.Source());

        var end = reader.LatestOffset(null);

        var lines = SourceFolder.ReadAll(reader, null, end!);
        Assert.Equal(["ok"], lines.Select(l => l.Text));
        Assert.Equal(good, lines[0].File);
    }

    [Fact]
    public void LatestOffset_NoFiles_ReturnsStart()
    {
        using var folder = new SourceFolder();
        using var reader = folder.Reader(folder.Source());

        Assert.Null(reader.LatestOffset(null));
        Assert.Empty(Directory.GetFiles(folder.Metadata));
    }

    [Fact]
    public void LatestOffset_MissingFolder_ThrowsDirectoryNotFound()
    {
        using var folder = new SourceFolder();
        var source = new FileSource<RecordedLine>(Path.Combine(folder.Root, "absent"), () => new RecordingDecoder());
        using var reader = folder.Reader(source);

        Assert.Throws<DirectoryNotFoundException>(() => reader.LatestOffset(null));
    }

    [Fact]
    public void LatestOffset_MaxFilesPerTrigger_SplitsFilesOverBatches()
    {
        using var folder = new SourceFolder();
        for (var i = 0; i < 5; i++)
        {
            folder.Write($"f{i}.json", $"line{i}\n", secondsAfterBase: i);
        }

        using var reader = folder.Reader(folder.Source(new FileSourceOptions { MaxFilesPerTrigger = 2 }));

        var texts = new List<List<string>>();
        string? start = null;
        for (var end = reader.LatestOffset(start); end != start; end = reader.LatestOffset(start))
        {
            texts.Add([.. SourceFolder.ReadAll(reader, start, end!).Select(l => l.Text)]);
            reader.Commit(end!);
            start = end;
        }

        Assert.Equal(Offset2, start);
        Assert.Equal([["line0", "line1"], ["line2", "line3"], ["line4"]], texts);
    }

    [Fact]
    public void LatestOffset_MaxBytesPerTrigger_TakesFilesUpToLimitAndAtLeastOne()
    {
        using var folder = new SourceFolder();
        folder.Write("a.json", "aaaaaaaa\n", secondsAfterBase: 0); // 9 bytes
        folder.Write("b.json", "bbbbbbbb\n", secondsAfterBase: 1);
        folder.Write("c.json", new string('c', 99) + "\n", secondsAfterBase: 2); // 100 bytes, over the limit alone
        folder.Write("d.json", "dddddddd\n", secondsAfterBase: 3);
        using var reader = folder.Reader(folder.Source(new FileSourceOptions { MaxBytesPerTrigger = 20 }));

        var first = reader.LatestOffset(null)!;
        var second = reader.LatestOffset(first)!;
        var third = reader.LatestOffset(second)!;

        Assert.Equal(["aaaaaaaa", "bbbbbbbb"], SourceFolder.ReadAll(reader, null, first).Select(l => l.Text));
        Assert.Equal([new string('c', 99)], SourceFolder.ReadAll(reader, first, second).Select(l => l.Text));
        Assert.Equal(["dddddddd"], SourceFolder.ReadAll(reader, second, third).Select(l => l.Text));
        Assert.Equal(third, reader.LatestOffset(third));
    }

    [Fact]
    public void LatestOffset_CalledTwiceWithoutBatch_ReturnsSameOffsetAndLogsOnce()
    {
        using var folder = new SourceFolder();
        var first = folder.Write("a.json", "a\n");
        using var reader = folder.Reader(folder.Source());

        var end = reader.LatestOffset(null);
        var later = folder.Write("b.json", "b\n", secondsAfterBase: 5);
        var again = reader.LatestOffset(null);

        Assert.Equal(Offset0, end);
        Assert.Equal(end, again);
        Assert.Equal(["0"], Directory.GetFiles(folder.Metadata).Select(Path.GetFileName));
        Assert.Equal([first], SourceFolder.PlannedFiles(reader, null, end!));
        var next = reader.LatestOffset(end);
        Assert.Equal(Offset1, next);
        Assert.Equal([later], SourceFolder.PlannedFiles(reader, end, next!));
    }

    [Fact]
    public void LatestOffset_NewFiles_WritesVersionedLogEntry()
    {
        using var folder = new SourceFolder();
        var path = folder.Write("a \"quoted\" é.json", "{}\n", secondsAfterBase: 3);
        using var reader = folder.Reader(folder.Source());

        reader.LatestOffset(null);

        var expectedMs = new DateTimeOffset(SourceFolder.BaseTime.AddSeconds(3)).ToUnixTimeMilliseconds();
        var escaped = path.Replace("\"", "\\\"", StringComparison.Ordinal);
        Assert.Equal(
            $"v1\n{{\"path\":\"{escaped}\",\"timestamp\":{expectedMs},\"size\":3}}\n",
            File.ReadAllText(Path.Combine(folder.Metadata, "0")));
    }

    [Fact]
    public void CreateReader_ExistingLog_DoesNotRereadProcessedFiles()
    {
        using var folder = new SourceFolder();
        var a = folder.Write("a.json", "a1\na2\n", secondsAfterBase: 0);
        var b = folder.Write("b.json", "b1\n", secondsAfterBase: 1);
        string end;
        List<RecordedLine> firstRun;
        using (var reader = folder.Reader(folder.Source()))
        {
            end = reader.LatestOffset(null)!;
            firstRun = SourceFolder.ReadAll(reader, null, end);
            reader.Commit(end);
        }

        // Rewriting a processed file under the same name does not make it new (the path is the identity).
        folder.Write("a.json", "a1\na2\na3-rewritten\n", secondsAfterBase: 100);
        using var restarted = folder.Reader(folder.Source());

        Assert.Equal(end, restarted.LatestOffset(end));
        Assert.Equal(firstRun, SourceFolder.ReadAll(restarted, null, end));
        var c = folder.Write("c.json", "c1\n", secondsAfterBase: 2);
        var next = restarted.LatestOffset(end);
        Assert.Equal(Offset1, next);
        Assert.Equal([c], SourceFolder.PlannedFiles(restarted, end, next!));
        Assert.Equal([a, b], firstRun.Select(l => l.File).Distinct());
    }

    [Fact]
    public void LatestOffset_LeftoverEntryOfCrashedRun_IsReusedAsIs()
    {
        using var folder = new SourceFolder();
        var a = folder.Write("a.json", "a\n", secondsAfterBase: 0);
        using (var crashed = folder.Reader(folder.Source()))
        {
            // Logged entry 0, then "crashed" before the executor wrote offsets/0.
            Assert.Equal(Offset0, crashed.LatestOffset(null));
        }

        var b = folder.Write("b.json", "b\n", secondsAfterBase: 1);
        using var reader = folder.Reader(folder.Source());

        var end = reader.LatestOffset(null);
        Assert.Equal(Offset0, end);
        Assert.Equal([a], SourceFolder.PlannedFiles(reader, null, end!));
        reader.Commit(end!);
        var next = reader.LatestOffset(end);
        Assert.Equal(Offset1, next);
        Assert.Equal([b], SourceFolder.PlannedFiles(reader, end, next!));
    }

    [Fact]
    public void FreezeAvailableData_FilesAddedLater_AreNotReported()
    {
        using var folder = new SourceFolder();
        var a = folder.Write("a.json", "a\n", secondsAfterBase: 0);
        var b = folder.Write("b.json", "b\n", secondsAfterBase: 1);
        using var reader = folder.Reader(folder.Source(new FileSourceOptions { MaxFilesPerTrigger = 1 }));

        reader.FreezeAvailableData();
        folder.Write("c.json", "c\n", secondsAfterBase: -10);
        var first = reader.LatestOffset(null)!;
        var second = reader.LatestOffset(first)!;

        Assert.Equal([a], SourceFolder.PlannedFiles(reader, null, first));
        Assert.Equal([b], SourceFolder.PlannedFiles(reader, first, second));
        Assert.Equal(second, reader.LatestOffset(second));
    }

    [Fact]
    public void PlanSplits_PlannedFileDeleted_ThrowsFileNotFoundNamingIt()
    {
        using var folder = new SourceFolder();
        var a = folder.Write("a.json", "a\n");
        using var reader = folder.Reader(folder.Source());
        var end = reader.LatestOffset(null)!;
        File.Delete(a);

        var error = Assert.Throws<FileNotFoundException>(() => reader.PlanSplits(null, end));

        Assert.Equal(a, error.FileName);
        Assert.Contains(a, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FileDeletedAfterPlanning_ThrowsFileNotFoundNamingIt()
    {
        using var folder = new SourceFolder();
        var a = folder.Write("a.json", "a\n");
        using var reader = folder.Reader(folder.Source());
        var splits = reader.PlanSplits(null, reader.LatestOffset(null)!);
        File.Delete(a);

        var error = Assert.Throws<FileNotFoundException>(() => splits[0].Read([], CancellationToken.None));

        Assert.Equal(a, error.FileName);
    }

    [Fact]
    public void Constructor_NonPositiveLimits_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FileSource<RecordedLine>("/x", () => new RecordingDecoder(), new FileSourceOptions { MaxFilesPerTrigger = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FileSource<RecordedLine>("/x", () => new RecordingDecoder(), new FileSourceOptions { MaxBytesPerTrigger = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FileSource<RecordedLine>("/x", () => new RecordingDecoder(), new FileSourceOptions { MaxLineBytes = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FileSource<RecordedLine>("/x", () => new RecordingDecoder(), new FileSourceOptions { SplitBytes = 0 }));
    }
}
