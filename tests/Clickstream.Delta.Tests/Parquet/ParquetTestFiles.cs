using System.Globalization;
using DuckDB.NET.Data;

namespace Clickstream.Delta.Tests.Parquet;

/// <summary>
/// Test data for the Parquet tests: the golden Delta tables in <c>shared/testdata/delta-golden</c> (found by
/// <see cref="Tests.Golden.GoldenTables"/>), scratch files, and a DuckDB connection for reading files the way another engine does.
/// </summary>
internal static class ParquetTestFiles
{
    /// <summary>The folder of a golden table.</summary>
    public static string Golden(string table)
    {
        var path = Path.Combine(Tests.Golden.GoldenTables.Root, table);
        return Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"golden table '{table}' is missing under {Tests.Golden.GoldenTables.Root}");
    }

    /// <summary>The one data file of a golden table whose name starts with <paramref name="prefix"/> (searching subfolders).</summary>
    public static byte[] GoldenFile(string table, string prefix)
    {
        var matches = Directory.GetFiles(Golden(table), prefix + "*.parquet", SearchOption.AllDirectories)
            .Where(f => !f.Contains("_delta_log", StringComparison.Ordinal))
            .ToList();
        return matches.Count == 1
            ? File.ReadAllBytes(matches[0])
            : throw new FileNotFoundException($"expected one file '{prefix}*.parquet' in golden table '{table}', found {matches.Count}");
    }

    /// <summary>A checkpoint file of a golden table.</summary>
    public static byte[] GoldenLog(string table, string name) => File.ReadAllBytes(Path.Combine(Golden(table), "_delta_log", name));

    /// <summary>An open in-memory DuckDB connection.</summary>
    public static DuckDBConnection OpenDuckDb()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        return connection;
    }

    /// <summary>Runs a query and returns its first column of its first row.</summary>
    public static object? Scalar(this DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Runs a query and returns every row as an array of values.</summary>
    public static List<object?[]> Rows(this DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>A SQL string literal.</summary>
    public static string Sql(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A value as invariant text (for messages and comparisons).</summary>
    public static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null";
}
