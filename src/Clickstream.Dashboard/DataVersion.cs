namespace Clickstream.Dashboard;

/// <summary>The newest batch committed to the store; both null while nothing has been committed.</summary>
/// <param name="BatchId">The batch id of the newest commit.</param>
/// <param name="CommittedAt">When that batch was committed (wall clock).</param>
public sealed record DataVersion(long? BatchId, DateTimeOffset? CommittedAt)
{
    /// <summary>A store without any committed batch.</summary>
    public static DataVersion None { get; } = new(null, null);
}
