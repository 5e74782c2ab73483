// fuzz-input description: a record named 'await' produced by a step, consumed by a retried step and a foreach (CS4003 in the async generated methods).
// fuzz-input finding: I2 generated code has an error: CS4003
using System.Threading.Tasks;
using Flows;

namespace Regressions.Await;

public sealed record @await(string Warehouse, int Units);

[Workflow]
public partial class Counting
{
    [Step] public Task<@await> Count(string warehouse) => Task.FromResult(new @await(warehouse, 3));

    [Step, Retry(2)] public @await[] Split(@await count) => new[] { count, count };

    [ParallelForEach(nameof(Split))] public int Units(@await item) => item.Units;
}
