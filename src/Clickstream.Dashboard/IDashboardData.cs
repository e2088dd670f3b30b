namespace Clickstream.Dashboard;

/// <summary>
/// Where the dashboard reads its figures. The host implements it over its store; every method may be called from
/// several request threads at once, and throws <see cref="DashboardDataUnavailableException"/> when the store
/// cannot be read (missing file, wrong schema), which the API turns into a 503 with the message.
/// </summary>
public interface IDashboardData
{
    /// <summary>The newest committed batch: a cheap probe, polled twice a second for the live updates.</summary>
    DataVersion GetVersion();

    /// <summary>The business figures of the <paramref name="range"/> that ends at the newest data.</summary>
    DashboardMetrics GetMetrics(TimeSpan range);

    /// <summary>The pipeline's health: freshness, watermark lag, throughput and the rates of bad input over <paramref name="range"/>.</summary>
    PipelineHealth GetHealth(TimeSpan range);
}
