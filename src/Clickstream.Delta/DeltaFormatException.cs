namespace Clickstream.Delta;

/// <summary>The table's log or files do not follow the Delta protocol (or use a part of it this library refuses).</summary>
public class DeltaFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DeltaFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public DeltaFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
