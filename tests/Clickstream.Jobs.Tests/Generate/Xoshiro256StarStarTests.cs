using Clickstream.Jobs.Generate;

namespace Clickstream.Jobs.Tests.Generate;

public sealed class Xoshiro256StarStarTests
{
    [Fact]
    public void NextUInt64_ReferenceState_MatchesReferenceOutputs()
    {
        var random = Xoshiro256StarStar.FromState(1, 2, 3, 4);

        Assert.Equal(11520UL, random.NextUInt64());
        Assert.Equal(0UL, random.NextUInt64());
        Assert.Equal(1509978240UL, random.NextUInt64());
    }

    [Fact]
    public void NextUInt64_SameSeed_SameSequence()
    {
        var a = new Xoshiro256StarStar(42);
        var b = new Xoshiro256StarStar(42);
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(a.NextUInt64(), b.NextUInt64());
        }
    }

    [Fact]
    public void NextUInt64_DifferentSeeds_DifferentSequences()
    {
        Assert.NotEqual(new Xoshiro256StarStar(0).NextUInt64(), new Xoshiro256StarStar(1).NextUInt64());
    }

    [Fact]
    public void NextDoubleAndNext_ManyDraws_StayInRangeAndSpread()
    {
        var random = new Xoshiro256StarStar(7);
        var buckets = new int[10];
        for (var i = 0; i < 100_000; i++)
        {
            var d = random.NextDouble();
            Assert.InRange(d, 0.0, 0.9999999999999999);
            buckets[random.Next(10)]++;
            Assert.InRange(random.Next(5, 8), 5, 7);
        }

        foreach (var count in buckets)
        {
            Assert.InRange(count, 9_500, 10_500);
        }
    }
}
