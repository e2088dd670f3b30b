namespace Clickstream.Jobs.Cli;

/// <summary>The list of sub-commands, in the order <c>--help</c> shows them.</summary>
internal static class CommandCatalog
{
    public static ICommand[] All() =>
    [
        new Up.UpCommand(),
        new Generate.GenerateCommand(),
        new Collector.CollectorCommand(),
        new Streaming.StreamCommand(),
        new Report.ExportCommand(),
        new Report.MetricsCommand(),
        new Dashboard.DashboardCommand(),
        new Lake.LakeCommand(),
        new AwsSetup.AwsCommand(),
    ];
}
