using System.Globalization;

namespace Clickstream.Jobs.Cli;

/// <summary>
/// A deliberately small option parser: <c>--name value</c>, <c>--name=value</c> and boolean <c>--flag</c>.
/// Every command declares its options so that unknown options and missing values are clear errors.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];
    private int _positionalsRead;

    private CommandLine()
    {
    }

    public bool HelpRequested { get; private set; }

    /// <summary>Parses <paramref name="args"/>; <paramref name="flags"/> are the options that take no value.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args, IReadOnlySet<string> flags)
    {
        var result = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                result.HelpRequested = true;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                // A bare word is a positional argument (e.g. the action of `lake describe`); commands that take
                // none reject it in EnsureAllUsed.
                result._positionals.Add(arg);
                continue;
            }

            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? arg[2..eq] : arg[2..];
            if (flags.Contains(name))
            {
                result._values[name] = eq > 0 ? arg[(eq + 1)..] : "true";
                continue;
            }

            string value;
            if (eq > 0)
            {
                value = arg[(eq + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new UsageException($"option --{name} needs a value");
            }

            result._values[name] = value;
        }

        return result;
    }

    public string? String(string name)
    {
        _used.Add(name);
        return _values.TryGetValue(name, out var v) ? v : null;
    }

    public string RequiredString(string name) =>
        String(name) ?? throw new UsageException($"option --{name} is required");

    public bool Flag(string name)
    {
        var v = String(name);
        return v is not null && v != "false";
    }

    public long Long(string name, long defaultValue, long min = long.MinValue, long max = long.MaxValue)
    {
        var v = String(name);
        if (v is null)
        {
            return defaultValue;
        }

        if (!long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            throw new UsageException($"option --{name} must be an integer between {min} and {max}, got '{v}'");
        }

        return n;
    }

    public double Double(string name, double defaultValue, double min, double max)
    {
        var v = String(name);
        if (v is null)
        {
            return defaultValue;
        }

        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < min || n > max || double.IsNaN(n))
        {
            throw new UsageException($"option --{name} must be a number between {min} and {max}, got '{v}'");
        }

        return n;
    }

    public DateTimeOffset? Instant(string name)
    {
        var v = String(name);
        if (v is null)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            throw new UsageException($"option --{name} must be an ISO-8601 instant such as 2026-11-01T12:00:00Z, got '{v}'");
        }

        return t;
    }

    /// <summary>Fails on any option the command did not ask for, so typos never pass silently.</summary>
    /// <summary>The positional argument at <paramref name="index"/> (bare words, in order), or null.</summary>
    public string? Positional(int index)
    {
        _positionalsRead = Math.Max(_positionalsRead, index + 1);
        return index < _positionals.Count ? _positionals[index] : null;
    }

    public void EnsureAllUsed()
    {
        if (_positionals.Count > _positionalsRead)
        {
            throw new UsageException($"unexpected argument '{_positionals[_positionalsRead]}'");
        }

        foreach (var key in _values.Keys)
        {
            if (!_used.Contains(key))
            {
                throw new UsageException($"unknown option --{key}");
            }
        }
    }
}
