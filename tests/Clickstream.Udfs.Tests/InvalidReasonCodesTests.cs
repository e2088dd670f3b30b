namespace Clickstream.Udfs.Tests;

public sealed class InvalidReasonCodesTests
{
    [Theory]
    [InlineData(InvalidReason.NotJson, "not_json")]
    [InlineData(InvalidReason.NotAnObject, "not_an_object")]
    [InlineData(InvalidReason.MissingField, "missing_field")]
    [InlineData(InvalidReason.WrongType, "wrong_type")]
    [InlineData(InvalidReason.EmptyField, "empty_field")]
    [InlineData(InvalidReason.BadTimestamp, "bad_timestamp")]
    [InlineData(InvalidReason.TooLarge, "too_large")]
    [InlineData(InvalidReason.BadEncoding, "bad_encoding")]
    public void ToCode_EachReason_IsStableSnakeCase(InvalidReason reason, string code)
    {
        Assert.Equal(code, reason.ToCode());
        Assert.True(InvalidReasonCodes.TryParse(code, out var back));
        Assert.Equal(reason, back);
    }

    [Fact]
    public void ToCode_EveryDefinedReason_HasDistinctCode()
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reason in Enum.GetValues<InvalidReason>())
        {
            Assert.True(codes.Add(reason.ToCode()));
        }
    }

    [Fact]
    public void ToCode_UndefinedValue_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((InvalidReason)200).ToCode());
    }

    [Theory]
    [InlineData("NotJson")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_UnknownCode_ReturnsFalse(string? code)
    {
        Assert.False(InvalidReasonCodes.TryParse(code, out _));
    }
}
