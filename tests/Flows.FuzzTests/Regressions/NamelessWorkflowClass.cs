// fuzz-input family: mutation
// fuzz-input seed: 74444494
// fuzz-input settings: disable 12.0
// fuzz-input expect-accepted: false
// fuzz-input description: Hooks: Hooks.cs: remove 'partial' from the workflow; duplicate token 'class'
// fuzz-input description: (minimized) FLOW005 on a class with no name yet: the fix made the next class partial and left it
// ===== file: Hooks.cs =====
using Flows;

namespace Samples.Observed;

[Workflow]
public  class class Observed
{
    [Step]
    public int Start(int value) => value;

    [Step]
    public string End(int start) => start.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
