namespace Clickstream.Jobs.Cli;

/// <summary>One sub-command of the <c>clickstream</c> program.</summary>
internal interface ICommand
{
    string Name { get; }

    /// <summary>One line for the command list.</summary>
    string Summary { get; }

    /// <summary>The full usage text printed by <c>--help</c>.</summary>
    string Usage { get; }

    /// <summary>Options that take no value.</summary>
    IReadOnlySet<string> Flags { get; }

    Task<int> RunAsync(CommandLine args, TextWriter output, CancellationToken cancellationToken);
}
