using System.Text;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// Converts values as Parquet.Net reads them to the CLR type of the Delta column they are read as:
/// string → <see cref="string"/>, long → <see cref="long"/>, integer → <see cref="int"/>, short → <see cref="short"/>,
/// byte → <see cref="sbyte"/>, float → <see cref="float"/>, double → <see cref="double"/>, boolean → <see cref="bool"/>,
/// binary → <see cref="byte"/>[], decimal → <see cref="decimal"/>, date → <see cref="DateOnly"/>, timestamp →
/// <see cref="DateTimeOffset"/> (UTC offset, microsecond precision). Integers widen to wider Delta integer types
/// (and narrow when the value fits), float widens to double; anything else is a schema mismatch.
/// </summary>
internal static class ValueConverter
{
    /// <summary>
    /// The converter from <typeparamref name="T"/> to the CLR type of <paramref name="target"/>; create one per
    /// column chunk (string converters share repeated values within the chunk).
    /// </summary>
    /// <exception cref="DeltaFormatException">The file's type cannot be read as the column's type.</exception>
    public static Func<T, object> Create<T>(PrimitiveType target, string column)
    {
        ArgumentNullException.ThrowIfNull(target);
        object? converter = typeof(T) switch
        {
            var t when t == typeof(int) => FromInteger<int>(target),
            var t when t == typeof(long) => FromInteger<long>(target),
            var t when t == typeof(short) => FromInteger<short>(target),
            var t when t == typeof(sbyte) => FromInteger<sbyte>(target),
            var t when t == typeof(byte) => FromInteger<byte>(target),
            var t when t == typeof(ushort) => FromInteger<ushort>(target),
            var t when t == typeof(uint) => FromInteger<uint>(target),
            var t when t == typeof(bool) => Only<bool>(target, PrimitiveType.Boolean),
            var t when t == typeof(float) => FromFloat(target),
            var t when t == typeof(double) => Only<double>(target, PrimitiveType.Double),
            var t when t == typeof(decimal) => target.IsDecimal ? new Func<decimal, object>(v => v) : null,
            var t when t == typeof(DateTime) => FromDateTime(target),
            var t when t == typeof(DateOnly) => Only<DateOnly>(target, PrimitiveType.Date),
            var t when t == typeof(ReadOnlyMemory<char>) => FromChars(target),
            var t when t == typeof(ReadOnlyMemory<byte>) => FromBytes(target),
            var t when t == typeof(Guid) => target.Equals(PrimitiveType.String) ? new Func<Guid, object>(v => v.ToString()) : null,
            _ => null,
        };

        return converter as Func<T, object>
            ?? throw new DeltaFormatException($"column '{column}': Parquet values of type {typeof(T).Name} cannot be read as Delta type {target}");
    }

    private static Func<T, object>? Only<T>(PrimitiveType target, PrimitiveType expected)
        where T : notnull
        => target.Equals(expected) ? v => v : null;

    private static Func<T, object>? FromInteger<T>(PrimitiveType target)
        where T : struct, System.Numerics.IBinaryInteger<T>
        => target.Name switch
        {
            // checked: a value that does not fit is a corrupt file or a wrong schema, never silently wrapped.
            "long" => v => long.CreateChecked(v),
            "integer" => v => int.CreateChecked(v),
            "short" => v => short.CreateChecked(v),
            "byte" => v => sbyte.CreateChecked(v),
            _ => null,
        };

    private static Func<float, object>? FromFloat(PrimitiveType target) => target.Name switch
    {
        "float" => v => v,
        "double" => v => (double)v,
        _ => null,
    };

    private static Func<DateTime, object>? FromDateTime(PrimitiveType target) => target.Name switch
    {
        "timestamp" => v => DeltaTime.UtcFromParquet(v),
        "timestamp_ntz" => v => DateTime.SpecifyKind(v, DateTimeKind.Unspecified),
        "date" => v => DateOnly.FromDateTime(v),
        _ => null,
    };

    private static Func<ReadOnlyMemory<char>, object>? FromChars(PrimitiveType target)
    {
        switch (target.Name)
        {
            case "string":
                // A converter serves one column chunk, so the cache holds that chunk's values only.
                var cache = new StringCache();
                return v => cache.Get(v.Span);
            case "binary":
                return Utf8Bytes;
            default:
                return null;
        }
    }

    private static byte[] Utf8Bytes(ReadOnlyMemory<char> value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value.Span)];
        Encoding.UTF8.GetBytes(value.Span, bytes);
        return bytes;
    }

    private static Func<ReadOnlyMemory<byte>, object>? FromBytes(PrimitiveType target) => target.Name switch
    {
        "binary" => v => v.ToArray(),
        "string" => v => Encoding.UTF8.GetString(v.Span), // BYTE_ARRAY without the STRING annotation
        _ => null,
    };
}
