namespace Clickstream.Engine.Plan;

/// <summary>A per-thread scratch list for group expanders (no allocation per row).</summary>
internal static class GroupBuffer<T>
{
    [ThreadStatic]
    private static List<T>? _instance;

    public static List<T>? Instance
    {
        get => _instance;
        set => _instance = value;
    }
}
