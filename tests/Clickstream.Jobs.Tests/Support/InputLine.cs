namespace Clickstream.Jobs.Tests.Support;

/// <summary>One line of an input file as the job's source hands it over: the bytes without the line end, and where it starts.</summary>
internal sealed record InputLine(string File, long Offset, byte[] Bytes);
