using System.Text;
using Clickstream.Engine.Execution;
using Clickstream.Engine.Sources;

namespace Clickstream.Engine.Tests.Sources;

public sealed class FileSourceQueryTests
{
    [Fact]
    public void ProcessAllAvailable_FilesAddedAcrossRestarts_DeliversEveryLineOnce()
    {
        using var folder = new SourceFolder();
        var checkpoint = Path.Combine(folder.Root, "checkpoint");
        var options = new FileSourceOptions { MaxFilesPerTrigger = 1 };

        // The sink keeps the last delivery per batch id, as an idempotent sink keyed by batch id would.
        var delivered = new Dictionary<long, List<string>>();
        var deliveries = new List<long>();
        var expected = new List<string>();
        void AddFile(string name, int lines, int second)
        {
            var text = new StringBuilder();
            for (var i = 0; i < lines; i++)
            {
                var line = $"{{\"file\":\"{name}\",\"i\":{i}}}";
                expected.Add(line);
                text.Append(line).Append('\n');
            }

            folder.Write(name + ".json", text.ToString(), second);
        }

        StreamingQuery Start()
        {
            var stream = QueryDefinition.From(folder.Source(options));
            var definition = new QueryDefinition("files").ForeachBatch(stream, (id, rows) =>
            {
                deliveries.Add(id);
                delivered[id] = [.. rows.Select(r => r.Text)];
            });
            return StreamingQuery.Start(definition, new QueryOptions { CheckpointPath = checkpoint });
        }

        AddFile("a", 3, 0);
        AddFile("b", 2, 1);
        using (var query = Start())
        {
            query.ProcessAllAvailable();
            AddFile("c", 4, 2);
            query.ProcessAllAvailable();
        }

        Assert.Equal([0L, 1, 2], deliveries);

        // A crash after batch 2 reached the sink but before commits/2: the restart re-runs batch 2 with the same files.
        var batch2 = delivered[2];
        File.Delete(Path.Combine(checkpoint, "commits", "2"));
        AddFile("d", 2, 3);
        using (var query = Start())
        {
            query.ProcessAllAvailable();
        }

        Assert.Equal([0L, 1, 2, 2, 3], deliveries);
        Assert.Equal(batch2, delivered[2]);

        // A clean restart: processed files are not read again.
        AddFile("e", 1, 4);
        using (var query = Start())
        {
            query.ProcessAllAvailable();
        }

        Assert.Equal([0L, 1, 2, 2, 3, 4], deliveries);
        var all = delivered.OrderBy(kv => kv.Key).SelectMany(kv => kv.Value).ToList();
        Assert.Equal(expected, all);
    }

    [Fact]
    public async Task RunAsync_AvailableNowWithFileAddedDuringRun_ReadsOnlyFilesPresentAtStart()
    {
        using var folder = new SourceFolder();
        folder.Write("a.json", "a\n", secondsAfterBase: 0);
        folder.Write("b.json", "b\n", secondsAfterBase: 1);
        var late = Path.Combine(folder.Data, "c.json");

        // The first decode drops a new file into the folder, while the run is under way.
        var source = new FileSource<RecordedLine>(
            folder.Data,
            () => new FileDroppingDecoder(late),
            new FileSourceOptions { MaxFilesPerTrigger = 1 });
        var rows = new List<string>();
        var definition = new QueryDefinition("available-now")
            .ForeachBatch(QueryDefinition.From(source), (_, batch) => rows.AddRange(batch.Select(r => r.Text)));
        using var query = StreamingQuery.Start(definition, new QueryOptions { CheckpointPath = Path.Combine(folder.Root, "checkpoint") });

        await query.RunAsync(Trigger.AvailableNow);

        Assert.True(File.Exists(late));
        Assert.Equal(["a", "b"], rows);
    }

    private sealed class FileDroppingDecoder(string path) : ILineDecoder<RecordedLine>
    {
        private readonly RecordingDecoder _inner = new();

        public void Decode(ReadOnlySpan<byte> line, in LineContext context, List<RecordedLine> output)
        {
            if (!File.Exists(path))
            {
                File.WriteAllText(path, "late\n");
            }

            _inner.Decode(line, context, output);
        }
    }
}
