using Clickstream.Delta.Table;
using Clickstream.Jobs.Lake;
using Clickstream.Jobs.Streaming;
using Clickstream.Jobs.Tests.Support;
using DuckDB.NET.Data;

namespace Clickstream.Jobs.Tests.Aws;

/// <summary>
/// The job on AWS storage (S3 checkpoint and lake, DynamoDB store, on the emulators) gives what it gives on local
/// folders and SQLite for the same files: the same export, the same batches, the same lake rows, which DuckDB reads
/// from the files our snapshot resolves; a location that cannot be used fails before any batch, in one line.
/// </summary>
public sealed class AwsStreamTests
{
    private static readonly DateTimeOffset ProcessingTimeFrom = new(2024, 3, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Stream_OnS3AndDynamoDb_EqualsTheLocalRun()
    {
        using var folder = new TempFolder("aws-stream");
        var input = folder.PathOf("input");
        await JobCommands.GenerateAsync("--out", input, "--events", "20000", "--files", "4", "--seed", "8", "--start", "2024-03-01T00:00:00Z", "--minutes", "20", "--late-rate", "0.02", "--invalid-rate", "0.02", "--duplicate-rate", "0.03");
        var (bucket, table) = await AwsTestEnvironment.CreateAsync("stream");

        string[] common = ["--input", input, "--trigger", "available-now", "--max-files-per-trigger", "1", "--quiet"];
        var local = await JobCommands.RunAsync(new StreamCommand(), [.. common, "--checkpoint", folder.PathOf("checkpoint"), "--store", folder.PathOf("store.db"), "--lake", folder.PathOf("lake")]);
        var remote = await JobCommands.RunAsync(new StreamCommand(), [.. common, "--checkpoint", $"s3://{bucket}/jobs/checkpoint", "--store", $"dynamodb://{table}", "--lake", $"s3://{bucket}/lake"]);
        Assert.Contains("lake events +", remote, StringComparison.Ordinal);

        // The same store.
        var expected = ExportLines.Split(await JobCommands.ExportTextAsync(folder.PathOf("store.db")), ProcessingTimeFrom);
        var actual = ExportLines.Split(await JobCommands.ExportTextAsync($"dynamodb://{table}"), ProcessingTimeFrom);
        Assert.True(expected.Deterministic.Count > 300, $"the local store has {expected.Deterministic.Count} rows");
        Assert.Equal(expected.Deterministic, actual.Deterministic);
        Assert.Equal(expected.InvalidAtProcessingTime, actual.InvalidAtProcessingTime);

        // The same batches, planned from the same files, in the S3 checkpoint.
        var checkpoint = await AwsTestEnvironment.MirrorAsync(bucket, "jobs/checkpoint", folder.PathOf("mirror-checkpoint"));
        Assert.Equal(
            CheckpointReader.Batches(folder.PathOf("checkpoint")).Select(b => string.Join(",", b.Files)),
            CheckpointReader.Batches(checkpoint).Select(b => string.Join(",", b.Files)));

        // The same rows in both lake tables, read by our reader and by DuckDB from the files our snapshot resolves.
        var lake = await AwsTestEnvironment.MirrorAsync(bucket, "lake", folder.PathOf("mirror-lake"));
        foreach (var name in new[] { "events", "quarantine" })
        {
            var (_, localRows) = await LakeReader.ReadAsync(Path.Combine(folder.PathOf("lake"), name));
            var (snapshot, s3Rows) = await LakeReader.ReadAsync(Path.Combine(lake, name));
            Assert.NotEmpty(localRows);
            Assert.Equal(Canonical(localRows, name), Canonical(s3Rows, name));
            Assert.Equal(Canonical(s3Rows, name), await DuckDbRowsAsync(Path.Combine(lake, name), snapshot, name));
        }

        // The lake commands take the S3 table too.
        var describe = await JobCommands.RunAsync(new LakeCommand(), "describe", "--table", $"s3://{bucket}/lake/events");
        Assert.Contains("event_date", describe, StringComparison.Ordinal);

        // A rerun on the same S3 checkpoint changes nothing.
        await JobCommands.RunAsync(new StreamCommand(), [.. common, "--checkpoint", $"s3://{bucket}/jobs/checkpoint", "--store", $"dynamodb://{table}", "--lake", $"s3://{bucket}/lake"]);
        Assert.Equal(actual.Deterministic, ExportLines.Split(await JobCommands.ExportTextAsync($"dynamodb://{table}"), ProcessingTimeFrom).Deterministic);
        Assert.Contains("lake events +", local, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_WithAMissingBucket_FailsAtStartWithOneLineNamingTheLocation()
    {
        using var folder = new TempFolder("aws-missing");
        var input = folder.PathOf("input");
        await JobCommands.GenerateAsync("--out", input, "--events", "100", "--files", "1");
        AwsTestEnvironment.Ensure();
        var missing = "no-such-bucket-" + Guid.NewGuid().ToString("N")[..10];

        var (code, _, stderr) = await ClickstreamProgram.RunAsync(
            TimeSpan.FromMinutes(1),
            "stream", "--input", input, "--checkpoint", folder.PathOf("checkpoint"), "--store", folder.PathOf("store.db"), "--lake", $"s3://{missing}/lake", "--trigger", "available-now");

        Assert.Equal(1, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"--lake s3://{missing}/lake", line, StringComparison.Ordinal);
        Assert.Contains("does not exist", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder.PathOf("checkpoint"), "offsets")), "no batch may be planned");
    }

    [Theory]
    [InlineData("credentials", "no AWS credentials found")]
    [InlineData("endpoint", "cannot be reached")]
    public async Task Stream_WithoutCredentialsOrEndpoint_FailsAtStartWithOneLine(string broken, string cause)
    {
        using var folder = new TempFolder("aws-broken-" + broken);
        var input = folder.PathOf("input");
        await JobCommands.GenerateAsync("--out", input, "--events", "100", "--files", "1");
        AwsTestEnvironment.Ensure();
        var info = ClickstreamProgram.StartInfo(
            "stream", "--input", input, "--checkpoint", "s3://some-bucket/cp", "--store", folder.PathOf("store.db"), "--trigger", "available-now");
        if (broken == "credentials")
        {
            info.Environment.Remove("AWS_ACCESS_KEY_ID");
            info.Environment.Remove("AWS_SECRET_ACCESS_KEY");
        }
        else
        {
            info.Environment["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:1";
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = await process.StandardOutput.ReadToEndAsync();
        await ClickstreamProgram.WaitAsync(process, TimeSpan.FromMinutes(1));

        Assert.Equal(1, process.ExitCode);
        var line = Assert.Single((await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("clickstream stream: error: --checkpoint s3://some-bucket/cp: ", line, StringComparison.Ordinal);
        Assert.Contains(cause, line, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.PathOf("store.db")), "nothing may be written before the locations are checked");
    }

    [Fact]
    public async Task Stream_WithAMissingCheckpointBucket_FailsAtStartWithOneLine()
    {
        using var folder = new TempFolder("aws-missing-cp");
        var input = folder.PathOf("input");
        await JobCommands.GenerateAsync("--out", input, "--events", "100", "--files", "1");
        AwsTestEnvironment.Ensure();
        var missing = "no-such-bucket-" + Guid.NewGuid().ToString("N")[..10];

        var (code, _, stderr) = await ClickstreamProgram.RunAsync(
            TimeSpan.FromMinutes(1),
            "stream", "--input", input, "--checkpoint", $"s3://{missing}/cp", "--store", folder.PathOf("store.db"), "--trigger", "available-now");

        Assert.Equal(1, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"--checkpoint s3://{missing}/cp", line, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.PathOf("store.db")), "nothing may be written before the locations are checked");
    }

    /// <summary>Rows as sorted text lines, every column, so two tables compare row for row.</summary>
    private static List<string> Canonical(List<Dictionary<string, object?>> rows, string table)
    {
        var columns = rows.Count == 0 ? [] : rows[0].Keys.Where(k => table != "quarantine" || k is not ("ingest_time" or "ingest_date" or "batch_id")).Order(StringComparer.Ordinal).ToList();
        return [.. rows.Select(r => string.Join("|", columns.Select(c => Text(r[c])))).Order(StringComparer.Ordinal)];
    }

    private static string Text(object? value) => value switch
    {
        null => "∅",
        DateTimeOffset t => t.ToUniversalTime().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        DateTime t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>The table's rows as DuckDB reads them from the live files of <paramref name="snapshot"/>, partition columns from the log.</summary>
    private static async Task<List<string>> DuckDbRowsAsync(string tableFolder, Snapshot snapshot, string table)
    {
        var partition = snapshot.Metadata.PartitionColumns.Single();
        var rows = new List<Dictionary<string, object?>>();
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        foreach (var file in snapshot.Files)
        {
            using var command = connection.CreateCommand();
            var path = Path.Combine(tableFolder, DeltaPaths.KeyOf(file.Path)).Replace("'", "''", StringComparison.Ordinal);
            command.CommandText = $"SELECT * FROM read_parquet('{path}', hive_partitioning = false)";
            using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var row = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                row[partition] = file.PartitionValues[partition] is { } day ? DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture) : null;
                rows.Add(row);
            }
        }

        return Canonical(rows, table);
    }
}
