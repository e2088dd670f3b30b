namespace Clickstream.Engine.Sources;

/// <summary>Where a line handed to an <see cref="ILineDecoder{T}"/> comes from.</summary>
/// <param name="File">The absolute path of the file.</param>
/// <param name="Offset">The byte offset of the line's first byte in the file (in the decompressed stream for <c>.gz</c> files).</param>
/// <param name="Truncated">
/// The line is longer than <see cref="FileSourceOptions.MaxLineBytes"/> and only its first
/// <see cref="FileSourceOptions.MaxLineBytes"/> bytes are given; the rest of the line is skipped.
/// </param>
public readonly record struct LineContext(string File, long Offset, bool Truncated);
