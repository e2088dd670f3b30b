using System.IO.Compression;
using Clickstream.Jobs.Cli;
using Clickstream.Jobs.Generate;
using Clickstream.Udfs;

namespace Clickstream.Jobs.Tests.Generate;

public sealed class GenerateCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "clickstream-generate-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_Defaults_WritesFourFilesInNameAndTimeOrder()
    {
        var output = new StringWriter();
        var exit = await RunAsync(output, "--out", Dir("a"), "--events", "1000");

        Assert.Equal(0, exit);
        var files = Directory.GetFiles(Dir("a")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["events-00000.ndjson", "events-00001.ndjson", "events-00002.ndjson", "events-00003.ndjson"], files.Select(Path.GetFileName));
        var times = files.Select(File.GetLastWriteTimeUtc).ToArray();
        for (var i = 1; i < times.Length; i++)
        {
            Assert.True(times[i] > times[i - 1], "modification times increase in name order");
        }

        Assert.Equal(1000, files.Sum(f => File.ReadAllLines(f).Length));
        Assert.All(files, f => Assert.InRange(File.ReadAllLines(f).Length, 249, 251));
        Assert.Contains("generated 1000 lines", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("4 files", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SameArguments_ByteIdenticalFiles()
    {
        await RunAsync(TextWriter.Null, "--out", Dir("a"), "--events", "3000", "--files", "3", "--seed", "7");
        await RunAsync(TextWriter.Null, "--out", Dir("b"), "--events", "3000", "--files", "3", "--seed", "7");

        for (var i = 0; i < 3; i++)
        {
            var name = EventFileWriter.FileName(i, gzip: false);
            Assert.Equal(File.ReadAllBytes(Path.Combine(Dir("a"), name)), File.ReadAllBytes(Path.Combine(Dir("b"), name)));
        }
    }

    [Fact]
    public async Task RunAsync_Gzip_DecompressesToPlainOutput()
    {
        await RunAsync(TextWriter.Null, "--out", Dir("plain"), "--events", "2000", "--files", "2");
        await RunAsync(TextWriter.Null, "--out", Dir("gz"), "--events", "2000", "--files", "2", "--gzip");

        for (var i = 0; i < 2; i++)
        {
            using var gz = new GZipStream(File.OpenRead(Path.Combine(Dir("gz"), $"events-0000{i}.ndjson.gz")), CompressionMode.Decompress);
            using var decompressed = new MemoryStream();
            gz.CopyTo(decompressed);
            Assert.Equal(File.ReadAllBytes(Path.Combine(Dir("plain"), $"events-0000{i}.ndjson")), decompressed.ToArray());
        }
    }

    [Fact]
    public async Task RunAsync_SampleFiles_EveryLineParsesOrIsQuarantinable()
    {
        await RunAsync(TextWriter.Null, "--out", Dir("a"), "--events", "5000", "--invalid-rate", "0.02");
        var parser = new EventParser();
        int valid = 0, invalid = 0;
        foreach (var file in Directory.GetFiles(Dir("a")))
        {
            foreach (var line in File.ReadLines(file))
            {
                _ = parser.TryParse(System.Text.Encoding.UTF8.GetBytes(line), out _, out _) ? valid++ : invalid++;
            }
        }

        Assert.Equal(5000, valid + invalid);
        Assert.InRange(invalid, 60, 140);
    }

    [Fact]
    public async Task RunAsync_DirectoryWithEventFiles_Refuses()
    {
        await RunAsync(TextWriter.Null, "--out", Dir("a"), "--events", "10", "--files", "1");

        var error = await Assert.ThrowsAsync<UsageException>(() => RunAsync(TextWriter.Null, "--out", Dir("a"), "--events", "10"));
        Assert.Contains("already holds 1 events-*.ndjson file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_DirectoryWithOtherFiles_Writes()
    {
        Directory.CreateDirectory(Dir("a"));
        await File.WriteAllTextAsync(Path.Combine(Dir("a"), "README.md"), "notes");

        Assert.Equal(0, await RunAsync(TextWriter.Null, "--out", Dir("a"), "--events", "10", "--files", "2"));
        Assert.Equal(3, Directory.GetFiles(Dir("a")).Length);
    }

    [Theory]
    [InlineData("option --events is required", "--out", "x")]
    [InlineData("option --out is required", "--events", "10")]
    [InlineData("option --events must be an integer", "--out", "x", "--events", "0")]
    [InlineData("option --duplicate-rate must be at least 0 and less than 1", "--out", "x", "--events", "10", "--duplicate-rate", "1")]
    [InlineData("option --invalid-rate must be a number", "--out", "x", "--events", "10", "--invalid-rate", "-0.1")]
    [InlineData("add up to less than 1", "--out", "x", "--events", "10", "--duplicate-rate", "0.5", "--invalid-rate", "0.5")]
    [InlineData("option --files (4) cannot be more than --events (3)", "--out", "x", "--events", "3")]
    [InlineData("option --files must be an integer", "--out", "x", "--events", "10", "--files", "0")]
    [InlineData("option --minutes must be an integer", "--out", "x", "--events", "10", "--minutes", "0")]
    [InlineData("option --start must be an ISO-8601 instant", "--out", "x", "--events", "10", "--start", "soon")]
    [InlineData("unknown option --evnts", "--out", "x", "--evnts", "10")]
    public void ParseOptions_BadArguments_ThrowUsageException(string message, params string[] args)
    {
        var command = new GenerateCommand();

        var error = Assert.Throws<UsageException>(() => GenerateCommand.ParseOptions(CommandLine.Parse(args, command.Flags)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseOptions_AllOptions_AreRead()
    {
        var args = new[]
        {
            "--out", "d", "--events", "500", "--seed", "9", "--start", "2026-12-24T18:00:00+01:00", "--minutes", "30",
            "--duplicate-rate", "0.1", "--invalid-rate", "0.2", "--late-rate", "0.3", "--files", "5", "--gzip",
        };

        var options = GenerateCommand.ParseOptions(CommandLine.Parse(args, new GenerateCommand().Flags));

        Assert.Equal(
            new GenerateOptions
            {
                OutputDirectory = "d",
                Events = 500,
                Seed = 9,
                Start = new DateTimeOffset(2026, 12, 24, 17, 0, 0, TimeSpan.Zero),
                Minutes = 30,
                DuplicateRate = 0.1,
                InvalidRate = 0.2,
                LateRate = 0.3,
                Files = 5,
                Gzip = true,
            },
            options);
    }

    [Fact]
    public void Usage_ListsEveryOptionWithDefaults()
    {
        var usage = new GenerateCommand().Usage;

        foreach (var option in new[] { "--out", "--events", "--seed", "--start", "--minutes", "--duplicate-rate", "--invalid-rate", "--late-rate", "--files", "--gzip" })
        {
            Assert.Contains(option, usage, StringComparison.Ordinal);
        }

        foreach (var value in new[] { "(default 42)", "(default 2026-11-01T12:00:00Z)", "(default 10)", "(default 0.02)", "(default 0.005)", "(default 0.002)", "(default 4)" })
        {
            Assert.Contains(value, usage, StringComparison.Ordinal);
        }
    }

    private string Dir(string name) => Path.Combine(_root, name);

    private static Task<int> RunAsync(TextWriter output, params string[] args)
    {
        var command = new GenerateCommand();
        return command.RunAsync(CommandLine.Parse(args, command.Flags), output, CancellationToken.None);
    }
}
