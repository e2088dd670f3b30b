using System.Buffers;

namespace Clickstream.Engine.Sources;

/// <summary>
/// Splits a byte stream into lines and hands each one to a decoder as a span over a pooled buffer: no copy and
/// no allocation per line. A line longer than the buffer is kept by shifting it to the front and, if needed,
/// growing the buffer up to the line limit; beyond the limit the line is handed over truncated and its rest is
/// skipped. Called on a worker thread; all state is local to one call.
/// </summary>
internal static class NdjsonLineReader
{
    /// <summary>The initial buffer: large reads amortise the syscalls; lines of a few hundred bytes fit thousands at a time.</summary>
    public const int BufferBytes = 1 << 20;

    private static readonly SearchValues<byte> Blank = SearchValues.Create(" \t\r"u8);

    /// <summary>
    /// Reads every line that starts in [<see cref="Range.Start"/>, <see cref="Range.End"/>) of
    /// <paramref name="stream"/>, which must be positioned at <see cref="Range.ReadFrom"/>. The last line may run past
    /// <see cref="Range.End"/>; nothing at or after <see cref="Range.Length"/> is read.
    /// </summary>
    public static void Read<T>(
        Stream stream,
        Range range,
        int maxLineBytes,
        ILineDecoder<T> decoder,
        string file,
        List<T> output,
        CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            var bufferOffset = range.ReadFrom; // stream offset of buffer[0]
            var remaining = range.Length - range.ReadFrom;
            var start = 0; // first byte of the current line
            var end = 0; // end of the valid data
            var scan = 0; // where the search for '\n' resumes; [start, scan) has none

            // A range that does not start the file begins after the first '\n' at or after Start - 1: a line
            // starting before Start belongs to the previous range, however far it runs.
            var skipping = range.Start > 0;
            var eof = false;
            while (true)
            {
                var newline = buffer.AsSpan(scan, end - scan).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    var lineEnd = scan + newline;
                    if (skipping)
                    {
                        skipping = false;
                    }
                    else
                    {
                        var lineStart = bufferOffset + start;
                        if (lineStart >= range.End)
                        {
                            return;
                        }

                        Emit(buffer.AsSpan(start, lineEnd - start), lineStart, maxLineBytes, decoder, file, output);
                    }

                    start = scan = lineEnd + 1;
                    continue;
                }

                scan = end;
                if (skipping)
                {
                    start = end;
                }
                else if (bufferOffset + start >= range.End)
                {
                    // The partial line belongs to the next range: no need to read the rest of it.
                    return;
                }
                else if (end - start > maxLineBytes + 1)
                {
                    // Longer than the limit even without a trailing '\r': hand over its start now, skip the rest.
                    var context = new LineContext(file, bufferOffset + start, Truncated: true);
                    decoder.Decode(buffer.AsSpan(start, maxLineBytes), in context, output);
                    skipping = true;
                    start = end;
                }

                if (eof)
                {
                    // A final line without '\n' is still a line.
                    if (!skipping && start < end)
                    {
                        Emit(buffer.AsSpan(start, end - start), bufferOffset + start, maxLineBytes, decoder, file, output);
                    }

                    return;
                }

                if (start > 0)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    bufferOffset += start;
                    end -= start;
                    scan = end;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    // Only reached with a partial line of at most maxLineBytes + 1 bytes filling the buffer, so the
                    // new size is larger and never above the limit plus "\r\n".
                    var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(2L * buffer.Length, maxLineBytes + 2L));
                    buffer.AsSpan(0, end).CopyTo(grown);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = grown;
                }

                cancellationToken.ThrowIfCancellationRequested();
                var want = (int)Math.Min(buffer.Length - end, remaining);
                var read = want == 0 ? 0 : stream.Read(buffer, end, want);
                if (read == 0)
                {
                    eof = true;
                }
                else
                {
                    end += read;
                    remaining -= read;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Emit<T>(ReadOnlySpan<byte> line, long offset, int maxLineBytes, ILineDecoder<T> decoder, string file, List<T> output)
    {
        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (line.Length > maxLineBytes)
        {
            var truncated = new LineContext(file, offset, Truncated: true);
            decoder.Decode(line[..maxLineBytes], in truncated, output);
            return;
        }

        // Blank lines are not events. Checking the first byte keeps the common case ('{') to one comparison.
        if (line.IsEmpty || (Blank.Contains(line[0]) && !line.ContainsAnyExcept(Blank)))
        {
            return;
        }

        var context = new LineContext(file, offset, Truncated: false);
        decoder.Decode(line, in context, output);
    }

    /// <summary>The part of a stream a split reads.</summary>
    /// <param name="Start">Lines starting at or after this offset are read…</param>
    /// <param name="End">…up to, excluding, those starting at or after this one.</param>
    /// <param name="Length">Bytes of the stream that exist for this read; later bytes are ignored.</param>
    internal readonly record struct Range(long Start, long End, long Length)
    {
        /// <summary>Where reading begins: one byte early, to see whether a line starts exactly at <see cref="Start"/>.</summary>
        public long ReadFrom => Start > 0 ? Start - 1 : 0;
    }
}
