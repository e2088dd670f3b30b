using Clickstream.Delta.Parquet;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Maintenance;

/// <summary>
/// Turns rows as <see cref="DataFileReader"/> returns them (one <c>object?[]</c> per row, in schema order) back into the
/// column vectors <see cref="DataFileWriter"/> takes, for the column types the writer supports.
/// </summary>
internal static class RowVectors
{
    private static readonly int EpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;

    /// <summary>Fails with a clear error when a column has a type the data-file writer cannot write.</summary>
    public static void EnsureSupported(StructType schema, string table)
    {
        foreach (var field in schema.Fields)
        {
            if (field.Type is not PrimitiveType { Name: "string" or "long" or "integer" or "double" or "float" or "boolean" or "date" or "timestamp" })
            {
                throw new DeltaFormatException(
                    $"{table}: column '{field.Name}' has type {TableDescription.TypeName(field.Type)}, which the data-file writer does not write; files of this table cannot be rewritten");
            }
        }
    }

    /// <summary>One vector per field of <paramref name="schema"/> holding <paramref name="rows"/>.</summary>
    public static ColumnVector[] Build(StructType schema, IReadOnlyList<object?[]> rows)
    {
        var vectors = new ColumnVector[schema.Fields.Count];
        for (var c = 0; c < vectors.Length; c++)
        {
            var field = schema.Fields[c];
            vectors[c] = ((PrimitiveType)field.Type).Name switch
            {
                "string" => Strings(rows, c, field.Name),
                "long" => Values<long, long>(rows, c, field.Name, v => v, (values, nulls) => new LongVector(values, nulls)),
                "integer" => Values<int, int>(rows, c, field.Name, v => v, (values, nulls) => new IntegerVector(values, nulls)),
                "double" => Values<double, double>(rows, c, field.Name, v => v, (values, nulls) => new DoubleVector(values, nulls)),
                "float" => Values<float, float>(rows, c, field.Name, v => v, (values, nulls) => new FloatVector(values, nulls)),
                "boolean" => Values<bool, bool>(rows, c, field.Name, v => v, (values, nulls) => new BooleanVector(values, nulls)),
                "date" => Values<DateOnly, int>(rows, c, field.Name, d => d.DayNumber - EpochDayNumber, (values, nulls) => new DateVector(values, nulls)),
                "timestamp" => Values<DateTimeOffset, long>(rows, c, field.Name, v => Micros(v, field.Name), (values, nulls) => new TimestampVector(values, nulls)),
                var other => throw new DeltaFormatException($"column '{field.Name}': type {other} cannot be written"),
            };
        }

        return vectors;
    }

    private static StringVector Strings(IReadOnlyList<object?[]> rows, int column, string name)
    {
        var values = new string?[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = rows[i][column] switch
            {
                null => null,
                string s => s,
                var other => throw Mismatch(name, "string", other),
            };
        }

        return new StringVector(values);
    }

    private static ColumnVector Values<TRead, TStored>(IReadOnlyList<object?[]> rows, int column, string name, Func<TRead, TStored> convert, Func<TStored[], bool[]?, ColumnVector> create)
        where TStored : unmanaged
    {
        var values = new TStored[rows.Count];
        bool[]? nulls = null;
        for (var i = 0; i < values.Length; i++)
        {
            switch (rows[i][column])
            {
                case null:
                    nulls ??= new bool[values.Length];
                    nulls[i] = true;
                    break;
                case TRead value:
                    values[i] = convert(value);
                    break;
                case var other:
                    throw Mismatch(name, typeof(TRead).Name, other);
            }
        }

        return create(values, nulls);
    }

    private static long Micros(DateTimeOffset value, string column)
    {
        var micros = (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

        // The writer keeps milliseconds: refuse to drop digits rather than change the data.
        return micros % 1000 == 0
            ? micros
            : throw new DeltaFormatException($"column '{column}' holds {value:O}, finer than the milliseconds a rewritten file keeps; this file cannot be rewritten without changing its data");
    }

    private static DeltaFormatException Mismatch(string column, string expected, object value) =>
        new($"column '{column}': expected {expected} values, read a {value.GetType().Name}");
}
