// fuzz-input description: the workflow, its containing type and its type parameter have lower-case ASCII names; the
// fuzz-input description: user's declarations carry CS8981, the generated partial declarations must not repeat it.
// fuzz-input finding: I2 generated code has a diagnostic: CS8981
using System.Threading.Tasks;
using Flows;

namespace Regressions.LowerCase;

public partial class outer
{
    [Workflow]
    public partial class context<t>
    {
        [Step] public int First(int value) => value;

        [Step] public Task<int> Second(int first) => Task.FromResult(first + 1);
    }
}
