using Clickstream.Jobs.Generate;
using Clickstream.Udfs;

namespace Clickstream.Benchmarks.Micro;

/// <summary>
/// Lines from the job's own generator (the same bytes <c>clickstream generate</c> writes), held back to back in
/// one buffer like a file read into memory, so benchmarks parse realistic events without touching the disk.
/// </summary>
internal sealed class SampleEvents
{
    private SampleEvents(byte[] buffer, int[] starts, int[] lengths, GenerationCounts counts)
    {
        Buffer = buffer;
        Starts = starts;
        Lengths = lengths;
        Counts = counts;
    }

    public byte[] Buffer { get; }

    public int[] Starts { get; }

    public int[] Lengths { get; }

    public GenerationCounts Counts { get; }

    public int Count => Starts.Length;

    public double AverageBytes => (double)Buffer.Length / Count;

    public ReadOnlySpan<byte> Line(int i) => Buffer.AsSpan(Starts[i], Lengths[i]);

    /// <summary>The generator's default mix: 2% client retries, 0.5% invalid lines, 0.2% late events.</summary>
    public static SampleEvents DefaultMix(int lines, ulong seed = 42) => Generate(lines, seed, 0.02, 0.005, 0.002);

    /// <summary>Only valid, distinct, on-time events.</summary>
    public static SampleEvents ValidOnly(int lines, ulong seed = 42) => Generate(lines, seed, 0, 0, 0);

    /// <summary>Parses sample lines until <paramref name="count"/> valid events are collected (duplicates included).</summary>
    public static ClickEvent[] ValidEvents(int count, ulong seed = 42)
    {
        // The generator spreads its lines over ten minutes of event time, so ask for a few more lines than
        // needed (about 2.7% are duplicates, invalid or late) and stop early: the events cover ~10 windows.
        var generator = new EventGenerator(Options(count + (count / 10) + 100, seed, 0.02, 0.005, 0.002));
        var parser = new EventParser();
        var events = new ClickEvent[count];
        var n = 0;
        while (n < count && generator.HasMore)
        {
            if (parser.TryParse(generator.NextLine(out _), out var ev, out _))
            {
                events[n++] = ev;
            }
        }

        return n == count ? events : throw new InvalidOperationException($"the generator gave only {n} valid events of {count}");
    }

    private static SampleEvents Generate(int lines, ulong seed, double duplicateRate, double invalidRate, double lateRate)
    {
        var generator = new EventGenerator(Options(lines, seed, duplicateRate, invalidRate, lateRate));
        var starts = new int[lines];
        var lengths = new int[lines];
        var buffer = new MemoryStream(lines * 512);
        for (var i = 0; i < lines; i++)
        {
            var line = generator.NextLine(out _);
            starts[i] = (int)buffer.Length;
            lengths[i] = line.Length;
            buffer.Write(line);
        }

        return new SampleEvents(buffer.ToArray(), starts, lengths, generator.Counts);
    }

    private static GenerateOptions Options(long lines, ulong seed, double duplicateRate, double invalidRate, double lateRate) => new()
    {
        // The generator only produces lines; nothing is written to this folder.
        OutputDirectory = string.Empty,
        Events = lines,
        Seed = seed,
        DuplicateRate = duplicateRate,
        InvalidRate = invalidRate,
        LateRate = lateRate,
    };
}
