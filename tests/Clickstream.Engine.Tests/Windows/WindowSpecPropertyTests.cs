using Clickstream.Engine.Windows;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Clickstream.Engine.Tests.Windows;

/// <summary>
/// Each event lands in exactly the windows it belongs to: <see cref="WindowSpec.Assign"/> is compared with a
/// brute-force enumeration of every aligned window start around the event.
/// </summary>
public sealed class WindowSpecPropertyTests
{
    [Property(MaxTest = 1000)]
    public Property Assign_RandomSpecAndEventTime_ReturnsExactlyTheAlignedWindowsContainingIt() =>
        Prop.ForAll(Cases(tumbling: false).ToArbitrary(), c =>
        {
            var spec = new WindowSpec(c.Window, c.Slide, c.Offset);
            var windows = new TimeWindow[spec.MaxWindowsPerEvent];
            var n = spec.Assign(c.EventMicros, windows);
            var actual = windows[..n];

            foreach (var w in actual)
            {
                Assert.True(w.StartMicros <= c.EventMicros && c.EventMicros < w.EndMicros, $"{c}: {w} does not contain the event");
                Assert.Equal(c.Window, w.EndMicros - w.StartMicros);
                Assert.Equal(0L, FloorMod(w.StartMicros - c.Offset, c.Slide));
            }

            for (var i = 1; i < n; i++)
            {
                Assert.True(actual[i].StartMicros < actual[i - 1].StartMicros, $"{c}: windows are not newest first");
            }

            Assert.Equal(BruteForce(c), actual.OrderByDescending(w => w.StartMicros));
        });

    [Property(MaxTest = 500)]
    public Property AssignTumbling_RandomSpecAndEventTime_EqualsTheSingleAssignedWindow() =>
        Prop.ForAll(Cases(tumbling: true).ToArbitrary(), c =>
        {
            var spec = new WindowSpec(c.Window, c.Window, c.Offset);
            var windows = new TimeWindow[spec.MaxWindowsPerEvent];
            var n = spec.Assign(c.EventMicros, windows);

            Assert.Equal(1, n);
            Assert.Equal(windows[0], spec.AssignTumbling(c.EventMicros));
            Assert.Equal(new[] { windows[0] }, BruteForce(c));
        });

    [Theory]
    [InlineData(-1L, -10_000_000L, 0L)]
    [InlineData(0L, 0L, 10_000_000L)]
    [InlineData(-10_000_000L, -10_000_000L, 0L)]
    [InlineData(-10_000_001L, -20_000_000L, -10_000_000L)]
    public void AssignTumbling_AroundTheEpoch_UsesNonNegativeRemainder(long eventMicros, long start, long end)
    {
        var spec = WindowSpec.Tumbling(TimeSpan.FromSeconds(10));

        Assert.Equal(new TimeWindow(start, end), spec.AssignTumbling(eventMicros));
    }

    [Fact]
    public void Assign_SparkGuideSlidingExample_ReturnsBothOverlappingWindows()
    {
        // Programming guide: 10-minute windows sliding every 5 minutes; an event at 12:07 is in 12:00–12:10 and 12:05–12:15.
        const long minute = 60_000_000;
        var spec = new WindowSpec(10 * minute, 5 * minute);
        var windows = new TimeWindow[spec.MaxWindowsPerEvent];

        var n = spec.Assign((12 * 60 * minute) + (7 * minute), windows);

        const long noon = 12 * 60 * minute;
        Assert.Equal(
            new[] { new TimeWindow(noon + (5 * minute), noon + (15 * minute)), new TimeWindow(noon, noon + (10 * minute)) },
            windows[..n]);
    }

    [Fact]
    public void Tumbling_TimeSpan_IsWindowAndSlideInMicroseconds()
    {
        var spec = WindowSpec.Tumbling(TimeSpan.FromMinutes(1));

        Assert.Equal(60_000_000, spec.WindowMicros);
        Assert.Equal(60_000_000, spec.SlideMicros);
        Assert.Equal(0, spec.StartOffsetMicros);
        Assert.Equal(1, spec.MaxWindowsPerEvent);
    }

    [Theory]
    [InlineData(0L, 1L, 0L, "windowMicros")]
    [InlineData(10L, 0L, 0L, "slideMicros")]
    [InlineData(10L, 11L, 0L, "slideMicros")]
    [InlineData(10L, 5L, 5L, "startOffsetMicros")]
    [InlineData(10L, 5L, -5L, "startOffsetMicros")]
    public void Constructor_InvalidDefinition_ThrowsNamingTheParameter(long window, long slide, long offset, string parameter)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new WindowSpec(window, slide, offset));

        Assert.Equal(parameter, e.ParamName);
    }

    private static List<TimeWindow> BruteForce(Case c)
    {
        // Aligned starts are offset + k·slide; the window contains t when t − window < start <= t.
        var first = FloorDiv(c.EventMicros - c.Window - c.Offset, c.Slide) + 1;
        var last = FloorDiv(c.EventMicros - c.Offset, c.Slide);
        var windows = new List<TimeWindow>();
        for (var k = last; k >= first; k--)
        {
            var start = c.Offset + (k * c.Slide);
            if (start <= c.EventMicros && c.EventMicros < start + c.Window)
            {
                windows.Add(new TimeWindow(start, start + c.Window));
            }
        }

        return windows;
    }

    private static long FloorDiv(long a, long b) => (a / b) - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);

    private static long FloorMod(long a, long b) => a - (FloorDiv(a, b) * b);

    private static Gen<Case> Cases(bool tumbling) =>
        from unit in Gen.Elements(1L, 1_000L, 1_000_000L)
        from windowUnits in Gen.Choose(1, 5_000)
        from slideUnits in tumbling ? Gen.Constant(windowUnits) : Gen.Choose(1, windowUnits)
        from offsetUnits in Gen.Choose(-(slideUnits - 1), slideUnits - 1)
        from eventMicros in EventTimes(unit * slideUnits, unit * offsetUnits)
        select new Case(unit * windowUnits, unit * slideUnits, unit * offsetUnits, eventMicros);

    // Anywhere within ±35 years of the epoch, or within a few microseconds of a window boundary.
    private static Gen<long> EventTimes(long slide, long offset) =>
        Gen.OneOf(
            from hi in Gen.Choose(-(1 << 19), 1 << 19)
            from lo in Gen.Choose(0, int.MaxValue)
            select (hi * (1L << 31)) + lo,
            from k in Gen.Choose(-1_000_000, 1_000_000)
            from delta in Gen.Choose(-2, 2)
            select offset + (k * slide) + delta);

    private sealed record Case(long Window, long Slide, long Offset, long EventMicros);
}
