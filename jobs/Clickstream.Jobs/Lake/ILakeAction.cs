using Clickstream.Jobs.Cli;

namespace Clickstream.Jobs.Lake;

/// <summary>One action of <c>clickstream lake</c>.</summary>
internal interface ILakeAction
{
    /// <summary>The flag that chooses the action (without <c>--</c>).</summary>
    string Name { get; }

    /// <summary>Reads the action's options (and checks that no other is given), then runs it.</summary>
    Task<int> RunAsync(CommandLine args, TextWriter output, CancellationToken cancellationToken);
}
