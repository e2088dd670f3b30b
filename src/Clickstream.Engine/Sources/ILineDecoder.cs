namespace Clickstream.Engine.Sources;

/// <summary>
/// Turns one NDJSON line into zero or more rows. <see cref="FileSource{T}"/> creates one instance per split
/// read, so an implementation may keep scratch buffers and need not be thread-safe.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
public interface ILineDecoder<T>
{
    /// <summary>
    /// Decodes <paramref name="line"/> (UTF-8, without the line terminator; never blank) and appends the result
    /// to <paramref name="output"/>. The span is only valid during the call. When
    /// <see cref="LineContext.Truncated"/> is set the line was too long and only its start is given: the decoder
    /// must report it as invalid (for example as an error row with a reason), never drop it silently.
    /// </summary>
    void Decode(ReadOnlySpan<byte> line, in LineContext context, List<T> output);
}
