using System.Threading;
using System.Threading.Tasks;
using Flows;

namespace Samples.Records;

[Workflow]
public sealed partial record Greeter(string Salutation)
{
    [Step]
    public string Compose(string name) => Salutation + ", " + name;

    [Step]
    public Task<int> Send(string compose, CancellationToken cancellationToken) => Task.FromResult(compose.Length);
}

public static class RecordWorkflowUsage
{
    public static async Task<int> RunAsync() => await new Greeter("Hello").RunAsync("Ada");
}
