namespace Clickstream.Dashboard.Tests.Support;

/// <summary>A hand-written data source whose version and availability the test sets.</summary>
internal sealed class FakeDashboardData : IDashboardData
{
    private volatile DataVersion _version = DataVersion.None;
    private volatile string? _unavailable;

    public TimeSpan? LastRange { get; private set; }

    public void Commit(long batchId) => _version = new DataVersion(batchId, new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero).AddSeconds(batchId));

    public void MakeUnavailable(string? reason) => _unavailable = reason;

    public DataVersion GetVersion()
    {
        ThrowIfUnavailable();
        return _version;
    }

    public DashboardMetrics GetMetrics(TimeSpan range)
    {
        ThrowIfUnavailable();
        LastRange = range;
        var to = new DateTimeOffset(2026, 11, 1, 13, 0, 0, TimeSpan.Zero);
        return new DashboardMetrics(
            true, to - range, to, 42, 420, 1000, 20, 5, 2,
            [new CategoryViews("books", 7)],
            [new FunnelStep("page_view", 10, null), new FunnelStep("purchase", 3, 0.3)],
            [new ProductViews("p-000001", 9)],
            [new MinuteCount(to.AddMinutes(-1), 1000)]);
    }

    public PipelineHealth GetHealth(TimeSpan range)
    {
        ThrowIfUnavailable();
        return new PipelineHealth(DateTimeOffset.UnixEpoch, _version.BatchId, _version.CommittedAt, 1.5, null, null, null, 3.5, null, 0.005, 0.02, 0.002);
    }

    private void ThrowIfUnavailable()
    {
        if (_unavailable is { } reason)
        {
            throw new DashboardDataUnavailableException(reason);
        }
    }
}
