namespace Clickstream.Jobs.Generate;

/// <summary>The ways a generated line is broken on purpose, in equal shares.</summary>
internal enum InvalidKind : byte
{
    None,

    /// <summary>The line stops part-way, as when a client is killed mid-request.</summary>
    Truncated,

    /// <summary>One of the five required fields is left out.</summary>
    MissingField,

    /// <summary><c>"user_id":""</c>.</summary>
    EmptyUserId,

    /// <summary><c>"yesterday"</c>, or a date-time without a zone.</summary>
    BadTimestamp,

    /// <summary>The event wrapped in a JSON array, as a batching client might send it.</summary>
    JsonArray,
}
