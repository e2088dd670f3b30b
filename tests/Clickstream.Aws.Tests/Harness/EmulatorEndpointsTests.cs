using System.Net;
using System.Net.Sockets;

namespace Clickstream.Aws.Tests.Harness;

/// <summary>A test that needs an emulator fails naming it when it is not there; nothing is skipped.</summary>
public sealed class EmulatorEndpointsTests
{
    [Fact]
    public void AnEmulatorThatIsDown_FailsNamingItAndHowToStartIt()
    {
        var closed = FreePort();
        var endpoints = EmulatorEndpoints.Parse([
            "export AWS_ACCESS_KEY_ID=S3RVER",
            $"export AWS_ENDPOINT_URL_S3=http://127.0.0.1:{closed}",
            "export AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:1",
        ]);
        Assert.True(endpoints.IsComplete);
        var e = Assert.Throws<InvalidOperationException>(endpoints.CheckReachable);
        Assert.Contains($"the S3 (s3rver-plus) emulator at http://127.0.0.1:{closed}/ does not accept connections", e.Message, StringComparison.Ordinal);
        Assert.Contains("tests/emulators/up", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRunningEmulators_AreReachableAndCarryTheirSettings()
    {
        var endpoints = Emulators.Get();
        endpoints.CheckReachable();
        var names = endpoints.EnvironmentVariables().Select(v => v.Name).ToHashSet();
        Assert.Contains("AWS_ENDPOINT_URL_S3", names);
        Assert.Contains("AWS_ENDPOINT_URL_DYNAMODB", names);
        Assert.Equal(IPAddress.Loopback.ToString(), endpoints.S3!.Host);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
