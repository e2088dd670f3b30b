using System.Text;

namespace Clickstream.Udfs.Tests;

/// <summary>
/// The parser's fast path must give exactly the answers of the full reader: same validity, same reason, same
/// fields. Checked on realistic lines and on thousands of deterministic mutations of them.
/// </summary>
public sealed class EventParserFastPathTests
{
    private static readonly string[] Seeds =
    [
        """{"event_id":"3f1c2a9e-1","event_type":"page_view","timestamp":"2026-11-01T12:00:00.123Z","user_id":"u-1","session_id":"s-1","page":"/c/books?q=a+b","category":"books","device":"mobile","properties":{"ab":[1,2.5e3,-0.1,true,false,null],"n":{"x":"y\u00e9"}},"price":12.5}""",
        """{"event_id":"e2","event_type":"product_view","timestamp":"2026-11-01T14:00:00+02:00","user_id":"u-2","session_id":"s-2","product_id":"p-000123","category":null,"experiment_id":"exp \"7\""}""",
        """{"event_id":"e3","event_type":"video_play","timestamp":"2026-11-01T12:00:00Z","user_id":"u-3","session_id":"s-3","category":"","product_id":5}""",
        """{ "event_id" : "e4" , "event_type" : "purchase" , "timestamp" : "2026-11-01T12:00:00.5-05:30" , "user_id" : "u\/4" , "session_id" : "s-4" , "order_id" : "o-1" , "quantity" : 2 }""",
        """{"event_id":"e5","event_id":"e5b","event_type":"search","timestamp":"2026-11-01T12:00:00Z","user_id":"u","session_id":"s","properties":{"query":"tab\tnot allowed raw"}}""",
    ];

    [Fact]
    public void TryParse_RealisticLines_FastAndFullPathsAgree()
    {
        foreach (var seed in Seeds)
        {
            AssertSame(Encoding.UTF8.GetBytes(seed));
        }
    }

    [Fact]
    public void TryParse_MutatedLines_FastAndFullPathsAgree()
    {
        var random = new Random(20261128);
        var alphabet = "{}[]\":,\\ntfu0123456789.-eE+ \t\r/aXé"u8.ToArray();
        var checkedLines = 0;
        foreach (var seed in Seeds)
        {
            var bytes = Encoding.UTF8.GetBytes(seed);
            for (var n = 0; n < 3000; n++)
            {
                var mutated = bytes.ToList();
                var edits = random.Next(1, 4);
                for (var e = 0; e < edits; e++)
                {
                    var at = random.Next(mutated.Count);
                    switch (random.Next(4))
                    {
                        case 0:
                            mutated[at] = alphabet[random.Next(alphabet.Length)];
                            break;
                        case 1:
                            mutated.RemoveAt(at);
                            break;
                        case 2:
                            mutated.Insert(at, alphabet[random.Next(alphabet.Length)]);
                            break;
                        default:
                            mutated.RemoveRange(at, mutated.Count - at); // truncation
                            break;
                    }

                    if (mutated.Count == 0)
                    {
                        break;
                    }
                }

                AssertSame([.. mutated]);
                checkedLines++;
            }
        }

        Assert.Equal(Seeds.Length * 3000, checkedLines);
    }

    [Fact]
    public void TryParse_DeepNesting_FastPathDefersToFullReader()
    {
        var deep = "{\"event_id\":\"e\",\"event_type\":\"t\",\"timestamp\":\"2026-11-01T12:00:00Z\",\"user_id\":\"u\",\"session_id\":\"s\",\"x\":"
            + new string('[', 70) + new string(']', 70) + "}";
        AssertSame(Encoding.UTF8.GetBytes(deep));
        Assert.False(new EventParser().TryParse(Encoding.UTF8.GetBytes(deep), out _, out var error));
        Assert.Equal(InvalidReason.NotJson, error.Reason);
    }

    private static void AssertSame(byte[] line)
    {
        var fast = new EventParser();
        var full = new EventParser { UseFastPath = false };
        var fastOk = fast.TryParse(line, out var fastEvent, out var fastError);
        var fullOk = full.TryParse(line, out var fullEvent, out var fullError);
        var text = Encoding.UTF8.GetString(line);
        Assert.True(fastOk == fullOk, $"validity differs for: {text}");
        Assert.True(fastEvent == fullEvent, $"fields differ for: {text}");
        Assert.True(fastError.Reason == fullError.Reason && fastError.Detail == fullError.Detail, $"error differs for: {text}: {fastError} vs {fullError}");
    }
}
