using Clickstream.Udfs.Raw;
using static Clickstream.Udfs.Tests.Raw.RawLines;

namespace Clickstream.Udfs.Tests.Raw;

public sealed class RawEventReferenceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Append_RandomEvents_MatchTheReferenceModel(int seed)
    {
        var events = new RandomEvents(seed);
        var parser = new EventParser();
        var extractor = new RawEventExtractor();
        var columns = new RawEventColumns(64);
        var lines = new List<string>();

        for (var i = 0; i < 1000; i++)
        {
            var line = events.Next();
            Assert.True(parser.TryParse(Utf8(line), out _, out var error), $"{error.Detail}: {line}");
            Assert.True(extractor.Append(Utf8(line), columns), line);
            lines.Add(line);
            if (columns.Count == 200)
            {
                AssertRows(lines, columns);
                columns.Clear();
                lines.Clear();
            }
        }

        AssertRows(lines, columns);
    }

    private static void AssertRows(List<string> lines, RawEventColumns columns)
    {
        Assert.Equal(lines.Count, columns.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            RawReference.AssertRow(lines[i], columns, i);
        }
    }
}
