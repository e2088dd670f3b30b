using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Clickstream.Tests.Shared;

/// <summary>
/// The AWS emulators (S3, DynamoDB, Kinesis on 127.0.0.1) for the integration tests. When the environment already
/// points at them (<c>eval "$(tests/emulators/up)"</c>, as the test command does), those are used; otherwise
/// <c>tests/emulators/up</c> is run once per test process (it is idempotent and leaves them running for the next
/// run; <c>tests/emulators/down</c> stops them). An emulator that cannot be reached fails the test with its name;
/// nothing is skipped.
/// </summary>
internal static class Emulators
{
    private static readonly Lazy<EmulatorEndpoints> Endpoints = new(Start);

    /// <summary>The running emulators' settings.</summary>
    public static EmulatorEndpoints Get() => Endpoints.Value;

    private static EmulatorEndpoints Start()
    {
        var fromEnvironment = EmulatorEndpoints.Parse(
            EmulatorEndpoints.Names.Select(name => $"export {name}={Environment.GetEnvironmentVariable(name)}"));
        if (fromEnvironment.IsComplete)
        {
            fromEnvironment.CheckReachable();
            return fromEnvironment;
        }

        var up = Path.Combine(ClickstreamProgram.RepositoryRoot, "tests", "emulators", "up");
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(up);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {up}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{up} did not finish within 3 minutes: {stderr.Result}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the AWS emulators did not start ({up} exited with {process.ExitCode}): {stderr.Result.Trim()}");
        }

        var endpoints = EmulatorEndpoints.Parse(stdout.Split('\n'));
        if (!endpoints.IsComplete)
        {
            throw new InvalidOperationException($"{up} printed no S3 or DynamoDB endpoint: {stdout}");
        }

        endpoints.CheckReachable();
        return endpoints;
    }
}

/// <summary>The settings <c>tests/emulators/up</c> exports.</summary>
internal sealed class EmulatorEndpoints
{
    public static readonly string[] Names =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_EC2_METADATA_DISABLED", "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_KINESIS",
        "CLICKSTREAM_TEST_S3_CONFLICT_PREFIX",
    ];

    private readonly Dictionary<string, string> _values;

    private EmulatorEndpoints(Dictionary<string, string> values) => _values = values;

    public Uri? S3 => Get("AWS_ENDPOINT_URL_S3");

    public Uri? DynamoDb => Get("AWS_ENDPOINT_URL_DYNAMODB");

    public Uri? Kinesis => Get("AWS_ENDPOINT_URL_KINESIS");

    /// <summary>Delta commits under this key prefix first answer 409 ConditionalRequestConflict (s3rver-plus's hook).</summary>
    public string ConflictPrefix => _values.GetValueOrDefault("CLICKSTREAM_TEST_S3_CONFLICT_PREFIX", "conflict-once/");

    public bool IsComplete => S3 is not null && DynamoDb is not null && _values.ContainsKey("AWS_ACCESS_KEY_ID");

    /// <summary>The variables to put into a process's environment.</summary>
    public IEnumerable<(string Name, string Value)> EnvironmentVariables() => _values.Select(pair => (pair.Key, pair.Value));

    public static EmulatorEndpoints Parse(IEnumerable<string> lines)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (!line.StartsWith("export ", StringComparison.Ordinal))
            {
                continue;
            }

            var assignment = line["export ".Length..];
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && assignment[(equals + 1)..] is { Length: > 0 } value)
            {
                values[assignment[..equals]] = value;
            }
        }

        return new EmulatorEndpoints(values);
    }

    /// <summary>Fails, naming the emulator, when one does not accept connections.</summary>
    public void CheckReachable()
    {
        foreach (var (name, uri) in new[] { ("S3 (s3rver-plus)", S3), ("DynamoDB (DynamoDB Local)", DynamoDb), ("Kinesis (kinesalite)", Kinesis) })
        {
            if (uri is null)
            {
                continue;
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(uri.Host, uri.Port);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException(
                    $"the {name} emulator at {uri} does not accept connections ({e.Message}); start the emulators with: eval \"$(tests/emulators/up)\"", e);
            }
        }
    }

    private Uri? Get(string name) => _values.TryGetValue(name, out var value) && Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;
}
