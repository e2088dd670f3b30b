namespace Clickstream.Jobs.Cli;

/// <summary>A command-line mistake: printed with the command's usage, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
