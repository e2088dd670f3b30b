using Clickstream.Jobs.Generate;

namespace Clickstream.Jobs.Tests.Generate;

public sealed class RecentLinesTests
{
    [Fact]
    public void Get_AfterAdds_ReturnsNewestFirst()
    {
        var recent = new RecentLines(capacity: 4);
        recent.Add("a"u8, 1);
        recent.Add("bb"u8, 2);
        recent.Add("ccc"u8, 3);

        Assert.Equal(3, recent.Count);
        Assert.Equal("ccc"u8.ToArray(), recent.Get(0).ToArray());
        Assert.Equal("a"u8.ToArray(), recent.Get(2).ToArray());
    }

    [Fact]
    public void Add_PastCapacity_KeepsNewest()
    {
        var recent = new RecentLines(capacity: 2);
        recent.Add("a"u8, 1);
        recent.Add("b"u8, 2);
        recent.Add("c"u8, 3);

        Assert.Equal(2, recent.Count);
        Assert.Equal("b"u8.ToArray(), recent.Get(1).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => recent.Get(2).ToArray());
    }

    [Fact]
    public void Expire_OlderThanCutoff_Forgets()
    {
        var recent = new RecentLines(capacity: 8);
        for (var t = 1; t <= 5; t++)
        {
            recent.Add([(byte)('0' + t)], t * 10);
        }

        recent.Expire(30);

        Assert.Equal(3, recent.Count);
        Assert.Equal("3"u8.ToArray(), recent.Get(2).ToArray());
    }
}
