namespace Clickstream.Udfs;

/// <summary>
/// Stable snake_case names for <see cref="InvalidReason"/>, used in the quarantine table, metrics and logs.
/// They are part of the stored format: never change one, only add.
/// </summary>
public static class InvalidReasonCodes
{
    /// <summary>Returns the stable code of <paramref name="reason"/>, for example <c>missing_field</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined reason.</exception>
    public static string ToCode(this InvalidReason reason) => reason switch
    {
        InvalidReason.NotJson => "not_json",
        InvalidReason.NotAnObject => "not_an_object",
        InvalidReason.MissingField => "missing_field",
        InvalidReason.WrongType => "wrong_type",
        InvalidReason.EmptyField => "empty_field",
        InvalidReason.BadTimestamp => "bad_timestamp",
        InvalidReason.TooLarge => "too_large",
        InvalidReason.BadEncoding => "bad_encoding",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "not a defined invalid reason"),
    };

    /// <summary>The inverse of <see cref="ToCode(InvalidReason)"/>, for reading the quarantine table back.</summary>
    public static bool TryParse(string? code, out InvalidReason reason)
    {
        foreach (var candidate in Enum.GetValues<InvalidReason>())
        {
            if (string.Equals(candidate.ToCode(), code, StringComparison.Ordinal))
            {
                reason = candidate;
                return true;
            }
        }

        reason = default;
        return false;
    }
}
