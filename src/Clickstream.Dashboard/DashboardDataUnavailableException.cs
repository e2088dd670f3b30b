namespace Clickstream.Dashboard;

/// <summary>The store behind the dashboard cannot be read; the message says why and is shown to the user.</summary>
public sealed class DashboardDataUnavailableException : Exception
{
    public DashboardDataUnavailableException()
    {
    }

    public DashboardDataUnavailableException(string message)
        : base(message)
    {
    }

    public DashboardDataUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
