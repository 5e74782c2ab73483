// fuzz-input description: a foreach source that is neither a step nor a C# identifier ("multi\nline", "a b", "1st")
// fuzz-input description: became a RunAsync parameter name; now FLOW010, and nothing generated.
// fuzz-input finding: I2 generated code has an error: CS1010 ([ParallelForEach] argument 'nameof(Paths)' := @"multi\nline")
using Flows;

namespace Regressions.Sources;

[Workflow]
public partial class Lines
{
    [ParallelForEach(@"multi
line")]
    public int Length(string item) => item.Length;
}

[Workflow]
public partial class Spaced
{
    [ParallelForEach("a b")]
    public int Length(string item) => item.Length;
}

[Workflow]
public partial class Digit
{
    [ParallelForEach("1st")]
    public int Length(string item) => item.Length;
}

[Workflow]
public partial class Fine
{
    [ParallelForEach("names")]
    public int Escaped(string item) => item.Length;

    [ParallelForEach("items")]
    public int Length(string item) => item.Length;
}
