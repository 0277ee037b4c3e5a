using System.Buffers;
using System.Buffers.Text;

namespace SiemAi.Ingestion.Syslog;

/// <summary>
/// RFC 6587 framing on one TCP stream: a frame starting with a digit is octet-counted (<c>LEN SP MSG</c>),
/// anything else runs to the next LF (a trailing CR is dropped). Oversize frames are skipped, not buffered:
/// an octet-counted one by its announced length, a newline one up to its LF.
/// </summary>
internal sealed class SyslogFrameReader(int maxMessageBytes)
{
    private long skipOctets;
    private bool discardingLine;

    /// <summary>One frame, a rejection, or false when more bytes are needed. <paramref name="fatal"/> means the stream cannot be resynchronised.</summary>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame, out string? rejection, out bool fatal)
    {
        frame = default;
        rejection = null;
        fatal = false;
        while (true)
        {
            if (skipOctets > 0)
            {
                var skip = Math.Min(skipOctets, buffer.Length);
                buffer = buffer.Slice(skip);
                skipOctets -= skip;
                if (skipOctets > 0)
                {
                    return false;
                }
            }

            if (discardingLine)
            {
                var lf = buffer.PositionOf((byte)'\n');
                if (lf is null)
                {
                    buffer = buffer.Slice(buffer.End);
                    return false;
                }

                buffer = buffer.Slice(buffer.GetPosition(1, lf.Value));
                discardingLine = false;
            }

            if (buffer.IsEmpty)
            {
                return false;
            }

            var first = buffer.FirstSpan[0];
            if (first is (byte)'\n' or (byte)'\r' or 0 or (byte)' ')
            {
                buffer = buffer.Slice(1);
                continue;
            }

            return first is >= (byte)'0' and <= (byte)'9'
                ? TryOctetCounted(ref buffer, out frame, out rejection, out fatal)
                : TryLine(ref buffer, out frame, out rejection);
        }
    }

    /// <summary>What is left when the peer closed: an unterminated last line still counts as a message.</summary>
    public bool TryReadTail(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame, out string? rejection)
    {
        frame = default;
        rejection = null;
        if (skipOctets > 0 || discardingLine || buffer.IsEmpty)
        {
            buffer = buffer.Slice(buffer.End);
            return false;
        }

        var first = buffer.FirstSpan[0];
        if (first is >= (byte)'0' and <= (byte)'9')
        {
            rejection = "truncated_frame";
        }
        else if (buffer.Length > maxMessageBytes)
        {
            rejection = "oversize";
        }
        else
        {
            frame = buffer;
        }

        buffer = buffer.Slice(buffer.End);
        return true;
    }

    private bool TryOctetCounted(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame, out string? rejection, out bool fatal)
    {
        frame = default;
        rejection = null;
        fatal = false;
        Span<byte> head = stackalloc byte[11];
        var length = (int)Math.Min(buffer.Length, head.Length);
        buffer.Slice(0, length).CopyTo(head);
        var space = head[..length].IndexOf((byte)' ');
        if (space < 0)
        {
            if (length < head.Length && head[..length].IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0)
            {
                return false;
            }

            rejection = "bad_frame";
            fatal = true;
            return true;
        }

        if (!Utf8Parser.TryParse(head[..space], out long count, out var consumed) || consumed != space || count <= 0)
        {
            rejection = "bad_frame";
            fatal = true;
            return true;
        }

        if (count > maxMessageBytes)
        {
            buffer = buffer.Slice(space + 1);
            skipOctets = count;
            var skip = Math.Min(skipOctets, buffer.Length);
            buffer = buffer.Slice(skip);
            skipOctets -= skip;
            rejection = "oversize";
            return true;
        }

        if (buffer.Length < space + 1 + count)
        {
            return false;
        }

        frame = buffer.Slice(space + 1, count);
        buffer = buffer.Slice(space + 1 + count);
        return true;
    }

    private bool TryLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame, out string? rejection)
    {
        frame = default;
        rejection = null;
        var lf = buffer.PositionOf((byte)'\n');
        if (lf is null)
        {
            if (buffer.Length > maxMessageBytes)
            {
                discardingLine = true;
                buffer = buffer.Slice(buffer.End);
                rejection = "oversize";
                return true;
            }

            return false;
        }

        var line = buffer.Slice(0, lf.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, lf.Value));
        if (line.Length > 0 && line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r')
        {
            line = line.Slice(0, line.Length - 1);
        }

        if (line.Length > maxMessageBytes)
        {
            rejection = "oversize";
            return true;
        }

        frame = line;
        return true;
    }
}
