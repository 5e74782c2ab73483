using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.Context;

[Workflow]
public partial class Traced
{
    [Step]
    public string First(StepContext context) => context.Workflow + "." + context.Step;

    [Step, Parallel("pair")]
    public Task<string> Left(string first, StepContext context, CancellationToken cancellationToken) =>
        Task.FromResult(first + context.Attempt);

    [Step, Parallel("pair")]
    public string Right(StepContext context, string first) => first + context.Index;
}

public static class StepContextParameterUsage
{
    public static async Task<(string Left, string Right)> RunAsync() => await new Traced().RunAsync();
}
