namespace Clickstream.Jobs.Lake;

/// <summary>Progress lines written straight to the command's output (synchronously, unlike <see cref="Progress{T}"/>).</summary>
internal sealed class LineProgress(TextWriter output) : IProgress<string>
{
    private readonly Lock _gate = new();

    public void Report(string value)
    {
        lock (_gate)
        {
            output.WriteLine("  " + value);
            output.Flush();
        }
    }
}
