namespace Clickstream.Delta.Tests.Parquet;

/// <summary>A temporary folder for files other engines read, deleted on dispose.</summary>
public sealed class ScratchFolder : IDisposable
{
    /// <summary>Creates an empty folder under the system temp folder.</summary>
    public ScratchFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "clickstream-parquet-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>Writes a file into the folder and returns its path.</summary>
    public string Write(string name, byte[] content)
    {
        var path = File(name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>The path of a file in the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
