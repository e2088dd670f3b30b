using System.Security.Cryptography;
using System.Text.Json;
using Clickstream.Jobs.Generate;
using Clickstream.Udfs;

namespace Clickstream.Jobs.Tests.Generate;

public sealed class EventGeneratorTests
{
    private static readonly long StartMicros = Micros("2026-11-01T12:00:00Z");
    private static readonly long Minute = 60_000_000;

    [Fact]
    public void NextLine_SameOptions_SameBytes()
    {
        Assert.Equal(Digest(Options(20_000)), Digest(Options(20_000)));
    }

    [Fact]
    public void NextLine_DifferentSeed_DifferentBytes()
    {
        Assert.NotEqual(Digest(Options(2_000)), Digest(Options(2_000) with { Seed = 43 }));
    }

    [Fact]
    public void NextLine_EveryKind_ParsesAsIntended()
    {
        var options = Options(60_000) with { DuplicateRate = 0.05, InvalidRate = 0.05, LateRate = 0.02 };
        var parser = new EventParser();
        var reasons = new HashSet<InvalidReason>();
        var firstSeen = new Dictionary<UInt128, long>();

        foreach (var line in Generate(options))
        {
            var arrival = StartMicros + (10 * Minute * line.Index / options.Events);
            var valid = parser.TryParse(line.Bytes, out var ev, out var error);
            if (line.Kind == LineKind.Invalid)
            {
                Assert.False(valid, $"line {line.Index} should be invalid");
                reasons.Add(error.Reason);
                continue;
            }

            Assert.True(valid, $"line {line.Index} ({line.Kind}): {error.Detail}");
            switch (line.Kind)
            {
                case LineKind.Valid:
                    Assert.InRange(ev.TimestampMicros, Math.Max(StartMicros, arrival - 2_000_000), arrival);
                    Assert.True(firstSeen.TryAdd(ev.EventKey, arrival), "event ids of new events are unique");
                    break;
                case LineKind.Late:
                    Assert.InRange(ev.TimestampMicros, arrival - (45 * Minute), arrival - (15 * Minute));
                    Assert.True(firstSeen.TryAdd(ev.EventKey, arrival), "event ids of new events are unique");
                    break;
                default:
                    Assert.True(firstSeen.TryGetValue(ev.EventKey, out var original), "a duplicate repeats an earlier event");
                    Assert.InRange(arrival - original, 0, Minute);
                    break;
            }
        }

        Assert.Equal(
            [InvalidReason.NotJson, InvalidReason.NotAnObject, InvalidReason.MissingField, InvalidReason.EmptyField, InvalidReason.BadTimestamp],
            reasons.Order());
    }

    [Fact]
    public void NextLine_DefaultRates_RoughlyRespected()
    {
        var generator = new EventGenerator(Options(100_000));
        while (generator.HasMore)
        {
            generator.NextLine(out _);
        }

        var counts = generator.Counts;
        Assert.Equal(100_000, counts.Lines);
        Assert.Equal(counts.Lines, counts.Valid + counts.Duplicates + counts.Invalid + counts.Late);
        Assert.InRange(counts.Duplicates, 1_700, 2_300);
        Assert.InRange(counts.Invalid, 380, 620);
        Assert.InRange(counts.Late, 140, 260);
        Assert.InRange(generator.Users, generator.Sessions / 2, generator.Sessions * 9 / 10);
    }

    [Fact]
    public void NextLine_Traffic_HasFunnelZipfProductsAndUnknownTypes()
    {
        var sessions = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var products = new Dictionary<string, int>(StringComparer.Ordinal);
        var types = new Dictionary<string, int>(StringComparer.Ordinal);
        int events = 0, pageViews = 0, pageViewsWithoutCategory = 0, productViews = 0;
        foreach (var line in Generate(Options(100_000) with { Minutes = 60 }))
        {
            if (line.Kind != LineKind.Valid)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line.Bytes);
            var root = doc.RootElement;
            var type = root.GetProperty("event_type").GetString()!;
            events++;
            types[type] = types.GetValueOrDefault(type) + 1;
            var session = root.GetProperty("session_id").GetString()!;
            if (!sessions.TryGetValue(session, out var steps))
            {
                sessions[session] = steps = new HashSet<string>(StringComparer.Ordinal);
            }

            steps.Add(type);
            if (type == "page_view")
            {
                pageViews++;
                pageViewsWithoutCategory += root.TryGetProperty("category", out _) ? 0 : 1;
            }
            else if (type == "product_view")
            {
                productViews++;
                var product = root.GetProperty("product_id").GetString()!;
                products[product] = products.GetValueOrDefault(product) + 1;
            }
        }

        Assert.InRange(Share(sessions, "page_view"), 0.97, 1.0);
        Assert.InRange(Share(sessions, "product_view"), 0.52, 0.66);
        Assert.InRange(Share(sessions, "add_to_cart"), 0.15, 0.23);
        Assert.InRange(Share(sessions, "checkout_start"), 0.07, 0.12);
        Assert.InRange(Share(sessions, "purchase"), 0.035, 0.065);

        var top = products.Values.Order().Reverse().ToArray();
        Assert.InRange(top[0] / (double)productViews, 0.12, 0.20);
        Assert.True(top[0] > 2 * top[2], "popularity is Zipf-like, not uniform");
        Assert.InRange(products.Count, 1_000, EventGenerator.ProductCount);

        var known = new[] { "page_view", "product_view", "add_to_cart", "remove_from_cart", "checkout_start", "purchase", "search" };
        var unknown = types.Where(t => !known.Contains(t.Key)).Sum(t => t.Value);
        Assert.InRange(unknown / (double)events, 0.006, 0.016);
        Assert.InRange(pageViewsWithoutCategory / (double)pageViews, 0.05, 0.25);
        Assert.True(types.GetValueOrDefault("search") > 0);
        Assert.True(types.GetValueOrDefault("remove_from_cart") > 0);
    }

    [Fact]
    public void NextLine_OnTimeEvents_AreMostlyInTimestampOrder()
    {
        var parser = new EventParser();
        long previous = 0;
        int pairs = 0, ordered = 0;
        foreach (var line in Generate(Options(20_000)))
        {
            if (line.Kind == LineKind.Valid && parser.TryParse(line.Bytes, out var ev, out _))
            {
                pairs++;
                ordered += ev.TimestampMicros >= previous ? 1 : 0;
                Assert.True(ev.TimestampMicros > previous - 2_000_000, "on-time events are never more than 2 s out of order");
                previous = Math.Max(previous, ev.TimestampMicros);
            }
        }

        Assert.True(ordered > pairs * 0.9, $"{ordered} of {pairs} in order");
    }

    [Theory]
    [InlineData(50, 7 * 24 * 60)]
    [InlineData(3_000, 366 * 24 * 60)]
    [InlineData(20_000, 1)]
    public void NextLine_SparseOrDenseStreams_StayValidAndInRange(long events, int minutes)
    {
        var options = Options(events) with { Minutes = minutes, InvalidRate = 0 };
        var parser = new EventParser();
        var end = StartMicros + (minutes * Minute);

        foreach (var line in Generate(options))
        {
            Assert.True(parser.TryParse(line.Bytes, out var ev, out var error), error.Detail);
            Assert.True(ev.TimestampMicros < end);
            Assert.True(line.Kind == LineKind.Late || ev.TimestampMicros >= StartMicros);
        }
    }

    [Fact]
    public void NextLine_PastTheEnd_Throws()
    {
        var generator = new EventGenerator(Options(1));
        generator.NextLine(out _);

        Assert.False(generator.HasMore);
        Assert.Throws<InvalidOperationException>(() => generator.NextLine(out _).ToArray());
    }

    internal static GenerateOptions Options(long events) => new() { OutputDirectory = "unused", Events = events };

    private static List<GeneratedLine> Generate(GenerateOptions options)
    {
        var generator = new EventGenerator(options);
        var lines = new List<GeneratedLine>();
        while (generator.HasMore)
        {
            var index = generator.Counts.Lines;
            var bytes = generator.NextLine(out var kind).ToArray();
            lines.Add(new GeneratedLine(index, kind, bytes));
        }

        return lines;
    }

    private static string Digest(GenerateOptions options)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var generator = new EventGenerator(options);
        while (generator.HasMore)
        {
            hash.AppendData(generator.NextLine(out _));
            hash.AppendData("\n"u8);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static double Share(Dictionary<string, HashSet<string>> sessions, string step) =>
        sessions.Values.Count(s => s.Contains(step)) / (double)sessions.Count;

    private static long Micros(string iso)
    {
        Assert.True(Iso8601.TryParseMicros(System.Text.Encoding.ASCII.GetBytes(iso), out var micros));
        return micros;
    }

    private sealed record GeneratedLine(long Index, LineKind Kind, byte[] Bytes);
}
