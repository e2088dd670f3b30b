using Microsoft.Data.Sqlite;

namespace Clickstream.Benchmarks.EndToEnd;

/// <summary>
/// Reads back from the job's SQLite store how many distinct valid events it counted, to compare with DuckDB and the
/// generator: those in `events` plus those that arrived after their window closed, which the job counts in `late`.
/// </summary>
internal static class StoreCheck
{
    public static long? CountedEvents(string storePath)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = storePath, Mode = SqliteOpenMode.ReadOnly }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT coalesce(sum(value), 0) FROM aggregates WHERE metric IN ('events', 'late')";
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (SqliteException e)
        {
            Console.WriteLine($"  (could not read the store {storePath}: {e.Message})");
            return null;
        }
    }
}
