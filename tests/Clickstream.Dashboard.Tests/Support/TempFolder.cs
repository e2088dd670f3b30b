namespace Clickstream.Dashboard.Tests.Support;

/// <summary>A uniquely named folder under the system temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder(string purpose)
    {
        Root = Path.Combine(Path.GetTempPath(), $"clickstream-{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>A path inside the folder (not created).</summary>
    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>A sub-folder, created if missing.</summary>
    public string Folder(string name) => Directory.CreateDirectory(PathOf(name)).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A child process that was killed may still hold a file for a moment; the temp folder is swept later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
