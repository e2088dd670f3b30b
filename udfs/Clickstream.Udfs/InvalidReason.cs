namespace Clickstream.Udfs;

/// <summary>
/// Why a line is not a valid event. The quarantine table stores the stable code from
/// <see cref="InvalidReasonCodes.ToCode(InvalidReason)"/>, never the number, so members may be added but not renamed.
/// </summary>
public enum InvalidReason : byte
{
    /// <summary>The line is empty, not JSON, truncated, nested too deeply, or has content after the value.</summary>
    NotJson,

    /// <summary>The line is a JSON array, string, number, boolean or null instead of an object.</summary>
    NotAnObject,

    /// <summary>A required field is absent.</summary>
    MissingField,

    /// <summary>A required field is present but is not a JSON string.</summary>
    WrongType,

    /// <summary>A required field is the empty string.</summary>
    EmptyField,

    /// <summary><c>timestamp</c> is not an ISO-8601 date-time with a zone, or names an impossible instant.</summary>
    BadTimestamp,

    /// <summary>The line is longer than the parser's limit.</summary>
    TooLarge,

    /// <summary>The line is not valid UTF-8, or a required field holds an unpaired <c>\u</c> surrogate escape.</summary>
    BadEncoding,
}
