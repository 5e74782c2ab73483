// fuzz-input description: a workflow input named like a step method (StepAsync): in the run body the name is the RunAsync parameter, so the plain call 'StepAsync(...)' was no method; the call now goes through 'this.'.
// fuzz-input finding: I2 generated code has an error: CS0149 ('var step = StepAsync(@class, control);')
using System.Threading.Tasks;
using Flows;

namespace Regressions.InputNamedLikeAStepMethod;

[Workflow]
public partial class Keywords
{
    [Step]
    public int StepAsync(int @class, string control) => @class + control.Length;

    [Step]
    public Task<string> @default(int StepAsync, string cancellationToken) => Task.FromResult(cancellationToken + StepAsync);
}

[Workflow]
public static partial class StaticKeywords
{
    [Step]
    public static int Load(int seed) => seed;

    [Step]
    public static int Total(int load, int Load) => load + Load;
}
