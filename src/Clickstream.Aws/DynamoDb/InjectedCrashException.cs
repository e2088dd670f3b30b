namespace Clickstream.Aws.DynamoDb;

/// <summary>The failure <see cref="InMemoryAggregateTable"/> raises after an injected crash: fatal, like a dead process.</summary>
internal sealed class InjectedCrashException : Exception
{
    public InjectedCrashException()
        : base("injected crash: the writing process died here")
    {
    }

    public InjectedCrashException(string message)
        : base(message)
    {
    }

    public InjectedCrashException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
