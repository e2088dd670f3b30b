using Amazon.DynamoDBv2;
using Clickstream.Aws;
using Clickstream.Aws.DynamoDb;

namespace Clickstream.Tests.Shared;

/// <summary>
/// DynamoDB Local for the tests that need a real table: <see cref="Emulators.Get"/> starts it (or finds it from the
/// environment) and its settings are put into this process's environment, so in-process commands and child
/// <c>clickstream</c> processes use it too. A missing emulator fails the test; nothing is skipped. Each test creates
/// its own table.
/// </summary>
internal static class DynamoDbLocal
{
    private static readonly Lazy<AwsSettings> LazySettings = new(() =>
    {
        foreach (var (name, value) in Emulators.Get().EnvironmentVariables())
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        var settings = AwsSettings.FromEnvironment();
        return settings.DynamoDbEndpoint is null
            ? throw new InvalidOperationException("the emulators gave no DynamoDB endpoint (AWS_ENDPOINT_URL_DYNAMODB)")
            : settings;
    });

    /// <summary>The settings that reach DynamoDB Local.</summary>
    public static AwsSettings Settings => LazySettings.Value;

    /// <summary>A client for DynamoDB Local.</summary>
    public static IAmazonDynamoDB Client() => AwsClients.DynamoDb(Settings);

    /// <summary>A unique table name starting with <paramref name="prefix"/>.</summary>
    public static string NewTableName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}";

    /// <summary>Creates a fresh aggregate table and returns its name.</summary>
    public static async Task<string> CreateTableAsync(string prefix)
    {
        var name = NewTableName(prefix);
        using var client = Client();
        await DynamoAggregateStore.CreateTableAsync(client, name, CancellationToken.None);
        return name;
    }
}
