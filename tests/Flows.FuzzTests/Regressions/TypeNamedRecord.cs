// fuzz-input description: a workflow named 'record' (CS8860 on the user's declaration, not on the generated one).
// fuzz-input finding: I2 generated code has a diagnostic: CS8860
using Flows;

namespace Regressions.Record;

[Workflow]
public partial class @record
{
    [Step] public int First(int value) => value;
}
