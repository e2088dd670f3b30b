using System.Buffers;
using Clickstream.Delta.Types;
using Parquet;
using ParquetDataField = Parquet.Schema.DataField;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// Reads one leaf column chunk with Parquet.Net's raw API (non-null values plus definition and repetition levels,
/// no per-row nullable wrappers) and converts the values for the Delta column they belong to.
/// </summary>
internal static class LeafReader
{
    /// <summary>Reads <paramref name="field"/>'s chunk of <paramref name="rowGroup"/> as Delta type <paramref name="type"/> (levels only when null).</summary>
    public static Task<LeafData> ReadAsync(ParquetRowGroupReader rowGroup, ParquetDataField field, PrimitiveType? type, string column, CancellationToken cancellationToken)
    {
        var clrType = field.ClrType;
        return clrType switch
        {
            _ when clrType == typeof(int) => ReadAsync<int>(rowGroup, field, type, column, cancellationToken),
            _ when clrType == typeof(long) => ReadAsync<long>(rowGroup, field, type, column, cancellationToken),
            _ when clrType == typeof(short) => ReadAsync<short>(rowGroup, field, type, column, cancellationToken),
            _ when clrType == typeof(sbyte) => ReadAsync<sbyte>(rowGroup, field, type, column, cancellationToken),
            _ when clrType == typeof(byte) => ReadAsync<byte>(rowGroup, field, type, column, cancellationToken),
            _ when clrType == typeof(ushort) => ReadAsync<ushort>(rowGroup, field, type, column, cancellationToken),
            _ when clrType == typeof(uint) => ReadAsync<uint>(rowGroup, field, type, column, cancellationToken),
            _ when clrType == typeof(bool) => ReadAsync<bool>(rowGroup, field, type, column, cancellationToken),
            _ when clrType == typeof(float) => ReadAsync<float>(rowGroup, field, type, column, cancellationToken),
            _ when clrType == typeof(double) => ReadAsync<double>(rowGroup, field, type, column, cancellationToken),
            _ when clrType == typeof(decimal) => ReadAsync<decimal>(rowGroup, field, type, column, cancellationToken),
            _ when clrType == typeof(DateTime) => ReadAsync<DateTime>(rowGroup, field, type, column, cancellationToken),
            _ when clrType == typeof(DateOnly) => ReadAsync<DateOnly>(rowGroup, field, type, column, cancellationToken),
            _ when clrType == typeof(Guid) => ReadAsync<Guid>(rowGroup, field, type, column, cancellationToken),

            // Strings and binary read as memory slices whatever Parquet.Net's (process-wide) untyped preference is.
            _ when clrType == typeof(ReadOnlyMemory<char>) || clrType == typeof(string) => ReadAsync<ReadOnlyMemory<char>>(rowGroup, field, type, column, cancellationToken),
            _ when clrType == typeof(ReadOnlyMemory<byte>) || clrType == typeof(byte[]) => ReadAsync<ReadOnlyMemory<byte>>(rowGroup, field, type, column, cancellationToken),
            _ => throw new DeltaFormatException($"column '{column}': Parquet type {clrType.Name} is not supported"),
        };
    }

    private static async Task<LeafData> ReadAsync<T>(ParquetRowGroupReader rowGroup, ParquetDataField field, PrimitiveType? type, string column, CancellationToken cancellationToken)
        where T : struct
    {
        Func<T, object?> convert = type is null ? static _ => null : (Func<T, object?>)ValueConverter.Create<T>(type, column);
        var chunk = rowGroup.GetMetadata(field)?.MetaData ?? throw new DeltaFormatException($"column '{column}': a row group has no chunk for '{field.Path}'");
        var count = checked((int)chunk.NumValues);
        var values = ArrayPool<T>.Shared.Rent(count);
        var definitions = field.MaxDefinitionLevel > 0 ? ArrayPool<int>.Shared.Rent(count) : null;
        var repetitions = field.MaxRepetitionLevel > 0 ? ArrayPool<int>.Shared.Rent(count) : null;
        try
        {
            await rowGroup.ReadRawAsync<T>(field, values.AsMemory(0, count), definitions?.AsMemory(0, count), repetitions?.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            TypedLeafData<T>.Return(values, definitions, repetitions);
            if (e is OverflowException or InvalidDataException or IndexOutOfRangeException or global::Parquet.ParquetException)
            {
                throw new DeltaFormatException($"column '{column}': cannot read '{field.Path}': {e.Message}", e);
            }

            throw;
        }

        var defined = definitions is null ? count : definitions.AsSpan(0, count).Count(field.MaxDefinitionLevel);
        return new TypedLeafData<T>(count, definitions, repetitions, values, convert, defined);
    }
}
