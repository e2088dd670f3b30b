namespace Clickstream.Jobs.Generate;

/// <summary>What a generator has written so far. Valid, duplicate, invalid and late lines add up to <see cref="Lines"/>.</summary>
internal sealed class GenerationCounts
{
    public long Lines { get; private set; }

    /// <summary>Distinct valid events written on time.</summary>
    public long Valid { get; private set; }

    public long Duplicates { get; private set; }

    public long Invalid { get; private set; }

    /// <summary>Distinct valid events 15 to 45 minutes older than the stream position.</summary>
    public long Late { get; private set; }

    public void Count(LineKind kind)
    {
        Lines++;
        switch (kind)
        {
            case LineKind.Valid:
                Valid++;
                break;
            case LineKind.Duplicate:
                Duplicates++;
                break;
            case LineKind.Invalid:
                Invalid++;
                break;
            default:
                Late++;
                break;
        }
    }

    public override string ToString() =>
        $"{Lines} lines: {Valid} valid, {Duplicates} duplicates, {Invalid} invalid, {Late} late";
}
