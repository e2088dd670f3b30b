namespace Clickstream.Collector.Landing;

/// <summary>The landing log cannot make events durable right now (disk error, full buffer, shutting down).</summary>
internal sealed class LandingUnavailableException : Exception
{
    public LandingUnavailableException(string message)
        : base(message)
    {
    }

    public LandingUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
