using Flows.Generator.Emitting;

namespace Flows.Generator.Tests;

/// <summary>The emitter's writer: indentation of nested blocks and of multi-line text, and balanced braces.</summary>
public sealed class SourceWriterTests
{
    [Fact]
    public void Blocks_indent_their_lines_and_blank_lines_carry_no_spaces()
    {
        var writer = new SourceWriter();
        writer.Open("class C");
        writer.Open("void M()");
        writer.Line("return;");
        writer.Close();
        writer.Line();
        writer.Line(string.Empty);
        writer.Close();

        Assert.Equal("class C\n{\n    void M()\n    {\n        return;\n    }\n\n\n}\n", writer.ToString());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Every_further_line_of_multi_line_text_is_one_level_in_from_the_first(int lines)
    {
        var writer = new SourceWriter();
        writer.Open("class C");
        writer.Line(string.Join("\n", Enumerable.Range(1, lines).Select(i => "line" + i)));
        writer.Close();

        var written = writer.ToString().Split('\n');
        Assert.Equal("    line1", written[2]);
        for (var i = 2; i <= lines; i++)
        {
            Assert.Equal("        line" + i, written[i + 1]);
        }
    }

    [Fact]
    public void A_close_without_an_open_and_an_open_left_open_are_errors()
    {
        var unbalanced = new SourceWriter();
        Assert.Throws<InvalidOperationException>(() => unbalanced.Close());

        var leftOpen = new SourceWriter();
        leftOpen.Open("class C");
        Assert.Throws<InvalidOperationException>(() => leftOpen.ToString());
        leftOpen.Close();
        Assert.Equal("class C\n{\n}\n", leftOpen.ToString());
    }
}
