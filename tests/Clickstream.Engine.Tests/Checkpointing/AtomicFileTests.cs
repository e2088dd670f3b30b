using Clickstream.Engine.Checkpointing;
using Clickstream.Engine.Tests.Execution;

namespace Clickstream.Engine.Tests.Checkpointing;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _dir = new("clickstream-atomic");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TryCreate_NewPath_WritesContentAndLeavesNoTemporaryFile()
    {
        var path = _dir.Combine("0");

        Assert.True(AtomicFile.TryCreate(path, "v1\nfirst\n"));

        Assert.Equal("v1\nfirst\n", File.ReadAllText(path));
        Assert.Equal(["0"], Directory.EnumerateFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void TryCreate_ExistingPath_ReturnsFalseKeepsContentAndLeavesNoTemporaryFile()
    {
        var path = _dir.Combine("0");
        AtomicFile.TryCreate(path, "first");

        Assert.False(AtomicFile.TryCreate(path, "second"));

        Assert.Equal("first", File.ReadAllText(path));
        Assert.Equal(["0"], Directory.EnumerateFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void TryCreate_ManyConcurrentWriters_ExactlyOneWins()
    {
        var path = _dir.Combine("7");
        var wins = new bool[16];

        Parallel.For(0, wins.Length, i => wins[i] = AtomicFile.TryCreate(path, $"writer {i}"));

        var winner = Assert.Single(Enumerable.Range(0, wins.Length), i => wins[i]);
        Assert.Equal($"writer {winner}", File.ReadAllText(path));
        Assert.Single(Directory.EnumerateFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void Replace_ExistingPath_OverwritesAndLeavesNoTemporaryFile()
    {
        var path = _dir.Combine("metadata");
        AtomicFile.TryCreate(path, "old");

        AtomicFile.Replace(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Single(Directory.EnumerateFileSystemEntries(_dir.Path));
    }
}
