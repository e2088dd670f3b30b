using System.Runtime.InteropServices;
using Clickstream.Jobs.Cli;

namespace Clickstream.Jobs;

internal static class Program
{
    private static readonly ICommand[] Commands = CommandCatalog.All();

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            PrintOverview(Console.Out);
            return args.Length == 0 ? 2 : 0;
        }

        var command = Array.Find(Commands, c => c.Name == args[0]);
        if (command is null)
        {
            await Console.Error.WriteLineAsync($"clickstream: unknown command '{args[0]}'");
            PrintOverview(Console.Error);
            return 2;
        }

        // Ctrl-C and SIGTERM (service managers, containers) stop a command cleanly: the streaming job finishes
        // and commits its current batch before exiting.
        using var cts = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            cts.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        try
        {
            var parsed = CommandLine.Parse(args[1..], command.Flags);
            if (parsed.HelpRequested)
            {
                Console.Out.WriteLine(command.Usage);
                return 0;
            }

            return await command.RunAsync(parsed, Console.Out, cts.Token);
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"clickstream {command.Name}: {e.Message}");
            await Console.Error.WriteLineAsync();
            await Console.Error.WriteLineAsync(command.Usage);
            return 2;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"clickstream {command.Name}: stopped");
            return 130;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException or Clickstream.Delta.DeltaFormatException
            or Clickstream.Aws.AwsLocationException or Clickstream.Aws.AwsCallException)
        {
            // Environment and data problems: a clear message, not a stack trace. Checkpoints make a rerun safe.
            await Console.Error.WriteLineAsync($"clickstream {command.Name}: error: {e.Message}");
            if (Environment.GetEnvironmentVariable("CLICKSTREAM_DEBUG") == "1")
            {
                await Console.Error.WriteLineAsync(e.ToString());
            }

            return 1;
        }
    }

    private static void PrintOverview(TextWriter w)
    {
        w.WriteLine("clickstream — real-time clickstream analytics");
        w.WriteLine();
        w.WriteLine("usage: clickstream <command> [options]   (clickstream <command> --help for details)");
        w.WriteLine();
        foreach (var c in Commands)
        {
            w.WriteLine($"  {c.Name,-10} {c.Summary}");
        }
    }
}
