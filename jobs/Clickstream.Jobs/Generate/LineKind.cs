namespace Clickstream.Jobs.Generate;

/// <summary>What a generated line is meant to be; the tests hold the event parser to it.</summary>
internal enum LineKind : byte
{
    /// <summary>A valid event, on time.</summary>
    Valid,

    /// <summary>A byte-for-byte copy of a valid line written less than a minute earlier (a client retry).</summary>
    Duplicate,

    /// <summary>A line that must fail validation.</summary>
    Invalid,

    /// <summary>A valid event whose time is 15 to 45 minutes before the stream position (a device that was offline).</summary>
    Late,
}
