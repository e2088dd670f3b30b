using System.Text;

namespace Clickstream.Udfs.Tests;

public sealed class StringInternerTests
{
    [Fact]
    public void Intern_SameBytes_ReturnsSameInstance()
    {
        var interner = new StringInterner(capacity: 16);

        var first = interner.Intern("electronics"u8);
        var second = interner.Intern(Encoding.UTF8.GetBytes("electronics"));

        Assert.Equal("electronics", first);
        Assert.Same(first, second);
        Assert.Equal(1, interner.Count);
    }

    [Fact]
    public void Intern_DifferentBytes_ReturnsDifferentValues()
    {
        var interner = new StringInterner(capacity: 16);

        Assert.Equal("a", interner.Intern("a"u8));
        Assert.Equal("b", interner.Intern("b"u8));
        Assert.Equal("é", interner.Intern("é"u8));
        Assert.Equal(3, interner.Count);
    }

    [Fact]
    public void Intern_ManyMoreValuesThanCapacity_StaysBoundedAndCorrect()
    {
        var interner = new StringInterner(capacity: 64);
        for (var i = 0; i < 10_000; i++)
        {
            var text = "p-" + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(text, interner.Intern(Encoding.UTF8.GetBytes(text)));
        }

        Assert.Equal(64, interner.Capacity);
        Assert.InRange(interner.Count, 1, 64);

        // The most recent value is still cached after the churn.
        Assert.Same(interner.Intern("p-009999"u8), interner.Intern("p-009999"u8));
    }

    [Fact]
    public void Intern_ValueLongerThanLimit_IsDecodedButNotCached()
    {
        var interner = new StringInterner(capacity: 16, maxCachedBytes: 4);

        var a = interner.Intern("abcdef"u8);
        var b = interner.Intern("abcdef"u8);

        Assert.Equal("abcdef", a);
        Assert.NotSame(a, b);
        Assert.Equal(0, interner.Count);
    }

    [Fact]
    public void Intern_EmptyBytes_ReturnsEmptyString()
    {
        Assert.Equal(string.Empty, new StringInterner(capacity: 4).Intern([]));
    }

    [Fact]
    public void Constructor_CapacityRoundsUpToPowerOfTwo()
    {
        Assert.Equal(128, new StringInterner(capacity: 100).Capacity);
        Assert.Equal(4, new StringInterner(capacity: 1).Capacity);
    }
}
