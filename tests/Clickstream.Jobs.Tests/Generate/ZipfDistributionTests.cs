using Clickstream.Jobs.Generate;

namespace Clickstream.Jobs.Tests.Generate;

public sealed class ZipfDistributionTests
{
    [Fact]
    public void Probability_Ranks_FollowPowerLawAndSumToOne()
    {
        var zipf = new ZipfDistribution(5000, 1.1);

        var sum = 0.0;
        for (var rank = 0; rank < zipf.Count; rank++)
        {
            sum += zipf.Probability(rank);
        }

        Assert.Equal(1.0, sum, 9);
        Assert.Equal(Math.Pow(2, 1.1), zipf.Probability(0) / zipf.Probability(1), 6);
        Assert.Equal(Math.Pow(10, 1.1), zipf.Probability(0) / zipf.Probability(9), 6);
    }

    [Fact]
    public void Sample_ManyDraws_MatchProbabilities()
    {
        var zipf = new ZipfDistribution(5000, 1.1);
        var random = new Xoshiro256StarStar(3);
        var counts = new int[zipf.Count];
        const int Draws = 200_000;
        for (var i = 0; i < Draws; i++)
        {
            counts[zipf.Sample(random)]++;
        }

        for (var rank = 0; rank < 5; rank++)
        {
            Assert.InRange(counts[rank] / (double)Draws, zipf.Probability(rank) * 0.93, zipf.Probability(rank) * 1.07);
        }
    }

    [Fact]
    public void Sample_SingleRank_AlwaysZero()
    {
        var zipf = new ZipfDistribution(1, 1.1);
        var random = new Xoshiro256StarStar(1);

        Assert.Equal(0, zipf.Sample(random));
        Assert.Equal(0, zipf.Sample(random));
    }
}
