using System.Text;
using Clickstream.Collector.Landing;
using Clickstream.Collector.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clickstream.Collector.Tests.Landing;

/// <summary>The landing log with real files: durability before the ack, rolling, atomic publishing, recovery.</summary>
public sealed class LandingWriterTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "landing-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task AppendAsync_Completed_LinesAreInTheHiddenOpenFileNotYetPublished()
    {
        using var writer = NewWriter(rollBytes: 1 << 20, rollAge: TimeSpan.FromHours(1));

        await writer.AppendAsync("{\"a\":1}\n"u8);

        Assert.Empty(VisibleFiles());
        var open = Assert.Single(Directory.GetFiles(_dir));
        Assert.StartsWith(".events-", Path.GetFileName(open), StringComparison.Ordinal);
        Assert.EndsWith(".ndjson.tmp", open, StringComparison.Ordinal);
        Assert.Equal("{\"a\":1}\n", ReadShared(open));
    }

    [Fact]
    public async Task Dispose_OpenFile_PublishedUnderAVisibleName()
    {
        var writer = NewWriter(rollBytes: 1 << 20, rollAge: TimeSpan.FromHours(1));
        await writer.AppendAsync("{\"a\":1}\n"u8);
        await writer.AppendAsync("{\"a\":2}\n"u8);

        writer.Dispose();

        var file = Assert.Single(Directory.GetFiles(_dir));
        Assert.Matches(@"^events-\d{8}T\d{9}Z-\d{6}\.ndjson$", Path.GetFileName(file));
        Assert.Equal("{\"a\":1}\n{\"a\":2}\n", File.ReadAllText(file));
    }

    [Fact]
    public async Task AppendAsync_PastRollBytes_PublishesCompleteFilesInOrder()
    {
        using (var writer = NewWriter(rollBytes: 100, rollAge: TimeSpan.FromHours(1)))
        {
            for (var i = 0; i < 50; i++)
            {
                await writer.AppendAsync(Encoding.UTF8.GetBytes($"{{\"n\":{i:D3},\"pad\":\"xxxxxxxxxxxxxxxx\"}}\n"));
            }

            // Every published file is whole while the writer is still running.
            Assert.True(VisibleFiles().Length >= 10);
            foreach (var file in VisibleFiles())
            {
                Assert.EndsWith("}\n", File.ReadAllText(file), StringComparison.Ordinal);
            }
        }

        var lines = VisibleFiles().Order(StringComparer.Ordinal).SelectMany(File.ReadAllLines).ToList();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"{{\"n\":{i:D3},\"pad\":\"xxxxxxxxxxxxxxxx\"}}"), lines);
        Assert.Empty(Directory.GetFiles(_dir, ".*"));
    }

    [Fact]
    public async Task AppendAsync_OpenFileOlderThanRollAge_IsPublishedWithoutFurtherWrites()
    {
        using var writer = NewWriter(rollBytes: 1 << 20, rollAge: TimeSpan.FromMilliseconds(100));

        await writer.AppendAsync("{\"a\":1}\n"u8);

        // No clock assertion: wait (bounded) for the flusher to publish on its own.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (VisibleFiles().Length == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var file = Assert.Single(VisibleFiles());
        Assert.Equal("{\"a\":1}\n", File.ReadAllText(file));
    }

    [Fact]
    public async Task AppendAsync_ManyConcurrentWriters_EveryLineOnceAndFewerFsyncsThanAppends()
    {
        var metrics = new CollectorMetrics();
        using (var writer = NewWriter(rollBytes: 1 << 20, rollAge: TimeSpan.FromHours(1), metrics))
        {
            await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => writer.AppendAsync(Encoding.UTF8.GetBytes($"{{\"n\":{i}}}\n")))));
        }

        var lines = VisibleFiles().SelectMany(File.ReadAllLines).ToList();
        Assert.Equal(200, lines.Count);
        Assert.Equal(200, lines.Distinct().Count());
        Assert.InRange(metrics.Flushes, 1, 200);
    }

    [Fact]
    public void Constructor_LeftoverOpenFile_IsPublishedWithoutItsPartialLastLine()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, ".events-20261101T120000000Z-000000.ndjson.tmp"), "{\"a\":1}\n{\"a\":2}\n{\"a\":");
        File.WriteAllText(Path.Combine(_dir, ".events-20261101T120001000Z-000001.ndjson.tmp"), "{\"partial\":");

        using (NewWriter(rollBytes: 1 << 20, rollAge: TimeSpan.FromHours(1)))
        {
        }

        var file = Assert.Single(Directory.GetFiles(_dir));
        Assert.Equal("events-20261101T120000000Z-000000.ndjson", Path.GetFileName(file));
        Assert.Equal("{\"a\":1}\n{\"a\":2}\n", File.ReadAllText(file));
    }

    [Fact]
    public void AppendAsync_AfterDispose_FailsAsUnavailable()
    {
        var writer = NewWriter(rollBytes: 1 << 20, rollAge: TimeSpan.FromHours(1));
        writer.Dispose();

        var task = writer.AppendAsync("{}\n"u8);

        Assert.IsType<SinkUnavailableException>(task.Exception?.InnerException);
    }

    [Fact]
    public async Task AppendAsync_MoreThanThePendingLimit_FailsAsUnavailable()
    {
        using var writer = NewWriter(rollBytes: 1 << 20, rollAge: TimeSpan.FromHours(1), maxPendingBytes: 16);

        var task = writer.AppendAsync(new byte[17]);

        await Assert.ThrowsAsync<SinkUnavailableException>(() => task);
    }

    private LandingWriter NewWriter(long rollBytes, TimeSpan rollAge, CollectorMetrics? metrics = null, int maxPendingBytes = 1 << 20) =>
        new(_dir, rollBytes, rollAge, maxPendingBytes, TimeProvider.System, metrics ?? new CollectorMetrics(), NullLogger.Instance);

    private string[] VisibleFiles() => [.. Directory.GetFiles(_dir).Where(f => !Path.GetFileName(f).StartsWith('.'))];

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
