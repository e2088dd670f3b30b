using System.Text.Json;

namespace Clickstream.Jobs.Generate;

/// <summary>
/// One simulated visit: who, on what device, from where, the planned steps and the state the steps build up
/// (current product, cart). Owned by the generator's single thread.
/// </summary>
internal sealed class Session(ulong idHigh, ulong idLow, int user, int device, JsonEncodedText userAgent, StepKind[] plan)
{
    public ulong IdHigh { get; } = idHigh;

    public ulong IdLow { get; } = idLow;

    public int User { get; } = user;

    public int Device { get; } = device;

    public JsonEncodedText UserAgent { get; } = userAgent;

    public StepKind[] Plan { get; } = plan;

    /// <summary>Index into <see cref="TrafficSources.Referrers"/>, or -1 for none.</summary>
    public int Referrer { get; init; } = -1;

    public int SchemaVersion { get; init; } = 2;

    public JsonEncodedText? Experiment { get; init; }

    /// <summary>The category the visitor came for; most category pages and searches follow it.</summary>
    public int Interest { get; init; }

    public int NextStep { get; set; }

    public bool IsDone => NextStep >= Plan.Length;

    public long LastTimeMicros { get; set; }

    public JsonEncodedText? LastPage { get; set; }

    public int CurrentProduct { get; set; } = -1;

    public int CartItems { get; set; }

    public long CartCents { get; set; }

    public int LastAddedProduct { get; set; } = -1;

    public int LastAddedQuantity { get; set; }

    /// <summary>The next session in the same <see cref="SessionSchedule"/> bucket.</summary>
    public Session? NextScheduled { get; set; }
}
