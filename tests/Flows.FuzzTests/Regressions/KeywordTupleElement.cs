// fuzz-input description: the last stage is a group whose steps are named with keywords: the result tuple's element
// fuzz-input description: names must be escaped ('@operator'), or RunAsync does not parse.
// fuzz-input finding: I2 generated code has an error: CS1026 (found by a synthesized workflow)
using System;
using System.Threading.Tasks;
using Flows;

namespace Regressions.Tuples;

[Workflow]
public partial class KeywordResults
{
    [Step] public int Start(int value) => value;

    [Step, Parallel("last")] public Guid @operator(int start) => Guid.Empty;

    [Step, Parallel("last")] public Task<int> @event(int start) => Task.FromResult(start);

    [Step, Parallel("last")] public string Plain(int start) => "x";
}

public static class KeywordResultsUsage
{
    public static async Task<Guid> Use()
    {
        var (op, ev, plain) = await new KeywordResults().RunAsync(1);
        var result = await new KeywordResults().RunAsync(2);
        return result.@operator == op && result.@event == ev && result.Plain == plain ? op : Guid.Empty;
    }
}
