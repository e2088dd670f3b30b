using System.Globalization;
using BenchmarkDotNet.Attributes;
using Clickstream.Udfs;

namespace Clickstream.Benchmarks.Micro;

/// <summary>
/// Parse and validate: <see cref="EventParser.TryParse"/> over 100,000 generated lines, reported per line.
/// "default-mix" is the generator's realistic stream (2% retries, 0.5% invalid lines of five kinds, 0.2% late);
/// "valid-only" shows the cost of the happy path alone. Benchmark classes are public and unsealed because
/// BenchmarkDotNet requires it.
/// </summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    public const int Lines = 100_000;

    private SampleEvents _sample = null!;
    private EventParser _parser = null!;

    [Params("default-mix", "valid-only")]
    public string Mix { get; set; } = "default-mix";

    [GlobalSetup]
    public void Setup()
    {
        _sample = Mix == "valid-only" ? SampleEvents.ValidOnly(Lines) : SampleEvents.DefaultMix(Lines);

        // One parser per thread, as in the job; a first pass fills its intern caches like a running stream's.
        _parser = new EventParser();
        var valid = Parse();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// {Mix}: {_sample.Count:N0} lines ({_sample.Counts}), {_sample.AverageBytes:F0} bytes per line on average, {valid:N0} parse as valid"));
    }

    [Benchmark(OperationsPerInvoke = Lines, Description = "EventParser.TryParse (per line)")]
    public int Parse()
    {
        var parser = _parser;
        var sample = _sample;
        var valid = 0;
        for (var i = 0; i < sample.Count; i++)
        {
            if (parser.TryParse(sample.Line(i), out _, out _))
            {
                valid++;
            }
        }

        return valid;
    }
}
