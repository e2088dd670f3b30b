using Clickstream.Delta.Storage;
using Clickstream.Delta.Table;

namespace Clickstream.Delta.Tests.Golden;

/// <summary>
/// The Delta Lake golden tables in <c>shared/testdata/delta-golden</c>, found beside the checkout (as in CI) by
/// walking up from the test binaries.
/// </summary>
internal static class GoldenTables
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Opens a golden table read-only (the store is never written by the tests).</summary>
    public static DeltaTable Open(string name) => DeltaTable.Open(new LocalObjectStore(PathOf(name)), name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "testdata", "delta-golden");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            "shared/testdata/delta-golden was not found in any folder above " + AppContext.BaseDirectory +
            "; the tests expect the shared folder beside the checkout");
    }
}
