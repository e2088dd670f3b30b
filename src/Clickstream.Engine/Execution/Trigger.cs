namespace Clickstream.Engine.Execution;

/// <summary>When micro-batches run.</summary>
public abstract record Trigger
{
    private Trigger()
    {
    }

    /// <summary>Process everything that exists at start (in as many batches as the source limits need), run a final no-data batch if an operator needs one, then stop.</summary>
    public static Trigger AvailableNow { get; } = new AvailableNowTrigger();

    /// <summary>Run exactly one batch (never a no-data batch), then stop.</summary>
    public static Trigger Once { get; } = new OnceTrigger();

    /// <summary>Run a batch every <paramref name="interval"/> until cancelled (immediately again when a batch overruns).</summary>
    public static Trigger ProcessingTime(TimeSpan interval) => new ProcessingTimeTrigger(interval);

    /// <summary>Parses <c>available-now</c>, <c>once</c> or an interval such as <c>10s</c> / <c>1 minute</c>.</summary>
    public static Trigger Parse(string text) => text switch
    {
        "available-now" or "availableNow" => AvailableNow,
        "once" => Once,
        _ => ProcessingTime(TimeSpan.FromMilliseconds(Time.IntervalParser.ParseMilliseconds(text))),
    };

    internal sealed record AvailableNowTrigger : Trigger;

    internal sealed record OnceTrigger : Trigger;

    internal sealed record ProcessingTimeTrigger(TimeSpan Interval) : Trigger;
}
