using System.Text;
using System.Text.Json;
using Clickstream.Udfs.Raw;

namespace Clickstream.Udfs.Tests.Raw;

public sealed class RawEventSamplesTests
{
    [Fact]
    public void Append_EverySampleLineEventParserAccepts_IsExtractedAsTheModelExpects()
    {
        var parser = new EventParser();
        var extractor = new RawEventExtractor();
        var columns = new RawEventColumns(16);
        var accepted = new List<string>();
        var rejected = 0;

        foreach (var file in Directory.GetFiles(SamplesFolder(), "*.ndjson").Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(file, Encoding.UTF8))
            {
                var bytes = Encoding.UTF8.GetBytes(line);
                if (!parser.TryParse(bytes, out _, out _))
                {
                    rejected++;
                    continue;
                }

                Assert.True(extractor.Append(bytes, columns), line);
                accepted.Add(line);
            }
        }

        // samples/README.md: 5,000 lines, of which 4,979 parse as valid events and 21 are invalid.
        Assert.Equal(4979, accepted.Count);
        Assert.Equal(21, rejected);
        Assert.Equal(accepted.Count, columns.Count);
        for (var i = 0; i < accepted.Count; i++)
        {
            using var doc = JsonDocument.Parse(accepted[i]);
            Assert.Equal(doc.RootElement.GetProperty("event_id").GetString(), columns.EventId[i]);
            RawReference.AssertRow(accepted[i], columns, i);
        }
    }

    [Fact]
    public void Append_SampleLines_UnknownFieldsLandInProperties()
    {
        var extractor = new RawEventExtractor();
        var columns = new RawEventColumns();
        var lines = File.ReadLines(Path.Combine(SamplesFolder(), "events-00000.ndjson"))
            .Where(l => l.Contains("\"experiment_id\"", StringComparison.Ordinal) && new EventParser().TryParse(Encoding.UTF8.GetBytes(l), out _, out _))
            .Take(20)
            .ToList();
        Assert.NotEmpty(lines);

        foreach (var line in lines)
        {
            Assert.True(extractor.Append(Encoding.UTF8.GetBytes(line), columns));
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var properties = RawLines.Parse(columns.Properties[i]);
            Assert.StartsWith("exp-", properties.GetProperty("experiment_id").GetString(), StringComparison.Ordinal);
        }
    }

    private static string SamplesFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Clickstream.sln")))
        {
            dir = dir.Parent;
        }

        return dir is null
            ? throw new InvalidOperationException($"no folder above {AppContext.BaseDirectory} holds Clickstream.sln")
            : Path.Combine(dir.FullName, "samples", "events");
    }
}
