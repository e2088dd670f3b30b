namespace Clickstream.Engine.Tests.Execution;

/// <summary>
/// A fresh folder, deleted with everything in it on dispose. It lives in RAM (<c>/dev/shm</c>) where there is
/// one: every state file and log entry the engine writes is flushed to disk, and these tests check the logic,
/// not the disk, so a RAM folder keeps hundreds of small fsyncs from dominating the run.
/// </summary>
internal sealed class TempDirectory : IDisposable
{
    private static readonly string Root = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();

    public TempDirectory(string prefix = "clickstream-test")
    {
        Path = System.IO.Path.Combine(Root, $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A path inside the folder (not created).</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
