namespace Clickstream.Engine.Plan;

/// <summary>Timeout kinds of <c>flatMapGroupsWithState</c>.</summary>
public enum GroupStateTimeout
{
    /// <summary>Keys never time out.</summary>
    None,

    /// <summary>A key times out when the watermark passes the timestamp it set (strictly: <c>timeout &lt; watermark</c>).</summary>
    EventTime,

    /// <summary>A key times out when the batch's processing time passes the timestamp it set.</summary>
    ProcessingTime,
}
