namespace Clickstream.Jobs.Tests.Support;

/// <summary>One line of a quarantine file: an invalid input line with its reason and where it came from.</summary>
internal sealed record QuarantineRecord(string Raw, string Reason, string Detail, string? Timestamp, string File, long Offset, long BatchId);
