using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.Graph;

// Each step starts as soon as what it consumes (and what it comes [After]) has completed.
[Workflow(Scheduling = Scheduling.Dataflow)]
public partial class Build
{
    [Step]
    public Task<string> Restore(string project, CancellationToken cancellationToken) => Task.FromResult(project + ".assets");

    [Step]
    public Task Lint(string project) => Task.CompletedTask;

    [Step]
    public async Task<string> Compile(string restore)
    {
        await Task.Yield();
        return restore + ".dll";
    }

    [Step, After(nameof(Lint))]
    public string Package(string compile) => compile + ".nupkg";
}

public static class DataflowSchedulingUsage
{
    public static async Task<string> RunAsync() => await new Build().RunAsync("app");
}
