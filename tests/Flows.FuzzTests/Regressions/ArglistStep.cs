// fuzz-input description: a step taking __arglist was called without it; now FLOW008, and nothing generated.
// fuzz-input finding: I2 generated code has an error: CS7036 (member '[Step] public int WithArglist(__arglist) => 0;')
using Flows;

namespace Regressions.Arglist;

[Workflow]
public partial class Variadic
{
    [Step] public int First() => 1;

    [Step] public int WithArglist(__arglist) => 0;
}
