using System.Globalization;
using Clickstream.Delta.Table;
using Clickstream.Engine.Time;
using Clickstream.Jobs.Cli;
using Clickstream.Jobs.Locations;

namespace Clickstream.Jobs.Lake;

/// <summary>Option parsing shared by the <c>lake</c> actions.</summary>
internal static class LakeOptions
{
    // One command runs per process: its AWS clients live as long as it does.
    private static readonly Lazy<AwsContext> Aws = new(() => new AwsContext());

    /// <summary>
    /// Opens the table at <paramref name="path"/> (a folder or an <c>s3://</c> prefix); a location without a
    /// <c>_delta_log</c> is not a table.
    /// </summary>
    public static DeltaTable Open(string path)
    {
        var location = Location.Parse("--table", path);
        if (location.IsLocal)
        {
            // Checked first: opening a local store creates its folder, and a typo must not leave one behind.
            if (!Directory.Exists(Path.Combine(path, "_delta_log")))
            {
                throw new InvalidOperationException($"{path} is not a Delta table");
            }

            return DeltaTable.OpenLocal(path);
        }

        location.Check(Aws.Value);
        var store = location.ObjectStore(Aws.Value);
        if (store.ListAsync("_delta_log/").GetAwaiter().GetResult().Count == 0)
        {
            throw new InvalidOperationException($"{location} is not a Delta table (no _delta_log/ under it)");
        }

        return DeltaTable.Open(store, location.Text);
    }

    /// <summary>A required duration such as <c>168h</c>, <c>7d</c>, <c>30m</c> or <c>1 week</c>.</summary>
    public static TimeSpan RequiredDuration(CommandLine args, string name)
    {
        var text = args.RequiredString(name);
        try
        {
            return TimeSpan.FromMilliseconds(IntervalParser.ParseMilliseconds(text));
        }
        catch (FormatException e)
        {
            throw new UsageException($"option --{name} must be a duration such as 168h, 7d or 30m: {e.Message}");
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new UsageException($"option --{name}: '{text}' is too long a duration");
        }
    }

    /// <summary>An optional date <c>YYYY-MM-DD</c>.</summary>
    public static DateOnly? Date(CommandLine args, string name)
    {
        var text = args.String(name);
        if (text is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new UsageException($"option --{name} must be a date such as 2025-03-01, got '{text}'");
    }

    /// <summary>A required integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static long RequiredLong(CommandLine args, string name, long min, long max)
    {
        if (args.String(name) is null)
        {
            throw new UsageException($"option --{name} is required");
        }

        return args.Long(name, 0, min, max);
    }
}
