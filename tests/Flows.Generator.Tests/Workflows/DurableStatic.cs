using System.Threading;
using System.Threading.Tasks;
using Flows;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Samples.Durable.Statics;

// A static workflow whose steps return nothing: no instance to create, and the run has no result.
[Workflow(Durable = true)]
public static partial class Maintenance
{
    [Step]
    public static void Clean(string folder)
    {
    }

    [Step, Parallel("work")]
    public static Task Compact(string folder, CancellationToken cancellationToken) => Task.CompletedTask;

    [Step, Parallel("work")]
    public static ValueTask Reindex(string folder) => default;

    [Step]
    public static void Notify(string folder, int retries)
    {
    }
}

public static class DurableStaticUsage
{
    public static void Register(DurableTaskRegistry registry) => Maintenance.Durable.Register(registry);

    public static async Task RunAsync(DurableTaskClient client)
    {
        await Maintenance.Durable.RunAsync(client, "/data", retries: 2);
        var id = await Maintenance.Durable.ScheduleAsync(client, "/logs", 0);
        await Maintenance.Durable.WaitForResultAsync(client, id);
    }
}
