using static Clickstream.Udfs.Tests.EventParserTests;

namespace Clickstream.Udfs.Tests;

public sealed class EventParserInvalidTests
{
    private readonly EventParser _parser = new();

    [Theory]
    [InlineData("")]
    [InlineData("   \r")]
    [InlineData("not json")]
    [InlineData("{\"event_id\":\"e-1\",\"event_type\":\"page_view\"")]
    [InlineData("{\"event_id\":\"e-1\",}")]
    [InlineData("{'event_id':'e-1'}")]
    [InlineData("{\"a\":1} {\"b\":2}")]
    [InlineData("{\"a\":1}x")]
    [InlineData("[1,2")]
    public void TryParse_MalformedJson_IsNotJson(string line)
    {
        AssertInvalid(line, InvalidReason.NotJson);
    }

    [Fact]
    public void TryParse_TruncatedLine_SaysSoAndKeepsTimestamp()
    {
        var line = Event(extra: ",\"page\":\"/home\"")[..^12];

        var error = AssertInvalid(line, InvalidReason.NotJson);

        Assert.Equal("the line ends before the JSON value is complete", error.Detail);
        Assert.Equal(Micros("2026-11-01T12:00:00Z"), error.TimestampMicros);
    }

    [Fact]
    public void TryParse_TooDeep_IsNotJson()
    {
        var line = Event(extra: ",\"properties\":" + new string('[', 70) + new string(']', 70));

        var error = AssertInvalid(line, InvalidReason.NotJson);

        Assert.Contains("deeper than 64", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[{\"event_id\":\"e-1\"}]", "the line is an array, not a JSON object")]
    [InlineData("\"page_view\"", "the line is a string, not a JSON object")]
    [InlineData("42", "the line is a number, not a JSON object")]
    [InlineData("true", "the line is a boolean, not a JSON object")]
    [InlineData("null", "the line is null, not a JSON object")]
    public void TryParse_NotAnObject_IsNotAnObject(string line, string detail)
    {
        Assert.Equal(detail, AssertInvalid(line, InvalidReason.NotAnObject).Detail);
    }

    [Theory]
    [InlineData("event_id")]
    [InlineData("event_type")]
    [InlineData("timestamp")]
    [InlineData("user_id")]
    [InlineData("session_id")]
    public void TryParse_MissingField_NamesTheField(string field)
    {
        var line = Event().Replace($"\"{field}\"", "\"other\"", StringComparison.Ordinal);

        Assert.Equal($"missing field {field}", AssertInvalid(line, InvalidReason.MissingField).Detail);
    }

    [Theory]
    [InlineData("user_id", "42", "field user_id must be a string, got a number")]
    [InlineData("event_id", "null", "field event_id must be a string, got null")]
    [InlineData("session_id", "{\"id\":\"s\"}", "field session_id must be a string, got an object")]
    [InlineData("event_type", "[\"page_view\"]", "field event_type must be a string, got an array")]
    [InlineData("timestamp", "1793534400000", "field timestamp must be a string, got a number")]
    [InlineData("user_id", "false", "field user_id must be a string, got a boolean")]
    public void TryParse_WrongType_NamesFieldAndType(string field, string json, string detail)
    {
        var line = Event().Replace($"\"{field}\":\"", $"\"{field}\":{json},\"x\":\"", StringComparison.Ordinal);

        Assert.Equal(detail, AssertInvalid(line, InvalidReason.WrongType).Detail);
    }

    [Theory]
    [InlineData("event_id")]
    [InlineData("event_type")]
    [InlineData("user_id")]
    [InlineData("session_id")]
    public void TryParse_EmptyField_IsEmptyField(string field)
    {
        var line = Event().Replace($"\"{field}\":\"", $"\"{field}\":\"\",\"x\":\"", StringComparison.Ordinal);

        var error = AssertInvalid(line, InvalidReason.EmptyField);

        Assert.Equal($"field {field} is empty", error.Detail);
        Assert.Equal(Micros("2026-11-01T12:00:00Z"), error.TimestampMicros);
    }

    [Fact]
    public void TryParse_EmptyTimestamp_IsEmptyFieldWithoutTime()
    {
        var error = AssertInvalid(Event(timestamp: ""), InvalidReason.EmptyField);

        Assert.Null(error.TimestampMicros);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2026-11-01T12:00:00")]
    [InlineData("2026-11-01T12:00:00.123")]
    [InlineData("2026-02-30T12:00:00Z")]
    [InlineData("2026-11-01T25:00:00Z")]
    [InlineData("1793534400")]
    public void TryParse_BadTimestamp_IsBadTimestamp(string timestamp)
    {
        var error = AssertInvalid(Event(timestamp: timestamp), InvalidReason.BadTimestamp);

        Assert.Contains(timestamp, error.Detail, StringComparison.Ordinal);
        Assert.Null(error.TimestampMicros);
    }

    [Fact]
    public void TryParse_LineOverLimit_IsTooLarge()
    {
        var parser = new EventParser(maxEventBytes: 100);
        var line = Event(extra: ",\"page\":\"" + new string('x', 100) + "\"");

        Assert.False(parser.TryParse(Utf8(line), out _, out var error));
        Assert.Equal(InvalidReason.TooLarge, error.Reason);
        Assert.Null(error.TimestampMicros);
    }

    [Fact]
    public void TryParse_InvalidUtf8InSkippedField_IsBadEncoding()
    {
        byte[] line = [.. Utf8(Event(extra: ",\"page\":\"")[..^1]), 0xC3, 0x28, .. "\"}"u8];

        Assert.False(_parser.TryParse(line, out _, out var error));
        Assert.Equal(InvalidReason.BadEncoding, error.Reason);
    }

    [Fact]
    public void TryParse_UnpairedSurrogateEscapeInRequiredField_IsBadEncoding()
    {
        var error = AssertInvalid(Event(user: "u-\\ud800"), InvalidReason.BadEncoding);

        Assert.Equal("field user_id holds an unpaired \\u surrogate escape", error.Detail);
    }

    [Fact]
    public void TryParse_SeveralProblems_ReportsFirstRequiredFieldInOrder()
    {
        var line = """{"session_id":"","user_id":5,"timestamp":"2026-11-01T12:00:00Z","event_type":"x"}""";

        Assert.Equal("missing field event_id", AssertInvalid(line, InvalidReason.MissingField).Detail);
    }

    [Fact]
    public void TryParse_DuplicateKeyWithBadLastValue_IsInvalid()
    {
        var line = Event(extra: ",\"timestamp\":\"later\"");

        AssertInvalid(line, InvalidReason.BadTimestamp);
    }

    [Fact]
    public void TryParse_Invalid_LeavesEventDefault()
    {
        Assert.False(_parser.TryParse("[]"u8, out var ev, out _));
        Assert.Equal(default, ev);
    }

    private InvalidEvent AssertInvalid(string line, InvalidReason reason)
    {
        Assert.False(_parser.TryParse(Utf8(line), out _, out var error));
        Assert.Equal(reason, error.Reason);
        Assert.False(string.IsNullOrWhiteSpace(error.Detail));
        return error;
    }
}
