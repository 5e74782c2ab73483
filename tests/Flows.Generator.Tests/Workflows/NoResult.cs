using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.Effects;

// No step of the last stage returns a value: RunAsync returns a plain ValueTask.
[Workflow]
public partial class Cleanup
{
    [Step]
    public Task DeleteTemporaryFiles(string folder, CancellationToken cancellationToken) => Task.CompletedTask;

    [Step, Parallel("final")]
    public void Compact()
    {
    }

    [Step, Parallel("final")]
    public ValueTask Notify(string folder) => default;
}

public static class NoResultUsage
{
    public static async Task RunAsync() => await new Cleanup().RunAsync("/tmp");
}
