using System.Text;

namespace Flows.Generator.Emitting;

/// <summary>A small indentation-aware text writer; lines end with <c>\n</c> whatever the platform.</summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _builder = new();
    private int _indent;

    /// <summary>
    /// Writes a line. A line break inside <paramref name="text"/> continues it: every further line is written one
    /// level further in than the first, however many there are.
    /// </summary>
    public void Line(string text)
    {
        var start = 0;
        for (var line = 0; ; line++)
        {
            var end = text.IndexOf('\n', start);
            var part = end < 0 ? text.Substring(start) : text.Substring(start, end - start);
            if (part.Length > 0)
            {
                for (var i = 0; i < _indent + (line == 0 ? 0 : 1); i++)
                {
                    _builder.Append(IndentUnit);
                }

                _builder.Append(part);
            }

            _builder.Append('\n');
            if (end < 0)
            {
                return;
            }

            start = end + 1;
        }
    }

    public void Line() => _builder.Append('\n');

    /// <summary>Writes <paramref name="header"/> and an opening brace, and indents until <see cref="Close"/>.</summary>
    public void Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
    }

    /// <summary>Closes the innermost <see cref="Open"/>; a close without an open is a bug of the emitter.</summary>
    public void Close(string suffix = "")
    {
        Unindent();
        Line("}" + suffix);
    }

    public void Indent() => _indent++;

    public void Unindent()
    {
        if (_indent == 0)
        {
            throw new InvalidOperationException("SourceWriter: more closes than opens.");
        }

        _indent--;
    }

    /// <summary>The text; every <see cref="Open"/> and <see cref="Indent"/> must have been closed.</summary>
    public override string ToString() =>
        _indent == 0 ? _builder.ToString() : throw new InvalidOperationException($"SourceWriter: {_indent} level(s) left open.");
}
