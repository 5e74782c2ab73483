// fuzz-input description: a workflow named like a member Flows generates into it (CS0542 in the generated file), and an
// fuzz-input description: input named like a hook, which hid the hook the generated run calls (CS0149); now FLOW008.
// fuzz-input finding: I2 generated code has an error: CS0542 (rename workflow 'GlobalFlow' to OnStepCompleted everywhere)
// fuzz-input finding: I2 generated code has an error: CS0149 (rename parameter '@double' to OnStepCompleted everywhere)
using System;
using Flows;

namespace Regressions.MemberNames;

[Workflow]
public partial class OnStepCompleted
{
    [Step] public int First(int value) => value;
}

[Workflow]
public partial class RunAsync
{
    [Step] public int First(int value) => value;
}

[Workflow]
public partial class HookInput
{
    [Step] public int First(int OnStepCompleted) => OnStepCompleted;

    partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) { }
}
