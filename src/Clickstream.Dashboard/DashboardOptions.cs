using System.Net;

namespace Clickstream.Dashboard;

/// <summary>Where and how the dashboard listens.</summary>
public sealed class DashboardOptions
{
    /// <summary>The address to bind; loopback by default, so the dashboard is not exposed by accident.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The TCP port; 0 picks a free one (read it from <see cref="DashboardServer.Url"/>).</summary>
    public int Port { get; init; } = 8080;

    /// <summary>How often the store is probed for a new batch (one loop shared by every live client).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often an idle live connection gets a keep-alive comment.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The clock of the probe loop and the keep-alives.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
