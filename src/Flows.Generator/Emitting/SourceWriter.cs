using System.Text;

namespace Flows.Generator.Emitting;

/// <summary>A small indentation-aware text writer; lines end with <c>\n</c> whatever the platform.</summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _builder = new();
    private int _indent;

    /// <summary>Writes a line; a line break inside <paramref name="text"/> continues it one level further in.</summary>
    public void Line(string text)
    {
        var breakAt = text.IndexOf('\n');
        if (breakAt >= 0)
        {
            Line(text.Substring(0, breakAt));
            _indent++;
            Line(text.Substring(breakAt + 1));
            _indent--;
            return;
        }

        if (text.Length > 0)
        {
            for (var i = 0; i < _indent; i++)
            {
                _builder.Append(IndentUnit);
            }

            _builder.Append(text);
        }

        _builder.Append('\n');
    }

    public void Line() => _builder.Append('\n');

    /// <summary>Writes <paramref name="header"/> and an opening brace, and indents until <see cref="Close"/>.</summary>
    public void Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
    }

    public void Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
    }

    public void Indent() => _indent++;

    public void Unindent() => _indent--;

    public override string ToString() => _builder.ToString();
}
