using Flows.DurableTask.Internal;
using Flows.Internal;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Flows.DurableTask.StorageWorker;

/// <summary>
/// The workload the storage tests run: a foreach over the items, at most <see cref="Degree"/> activity calls in flight,
/// each taking 100 to 300 ms and recording its execution in the <see cref="ExecutionLog"/>; the result is
/// <c>item * 10</c> for every item, in source order.
/// </summary>
/// <remarks>
/// Written by hand the way the generator will write a <c>[Workflow(Durable = true)]</c> class with one
/// <c>[ParallelForEach("items", MaxDegreeOfParallelism = 10)]</c> step: the orchestrator only calls
/// <see cref="DurableForEach"/>, the step body runs only in the activity. Everything the workers and the tests need from
/// it goes through <see cref="Register"/>, <see cref="ScheduleAsync"/> and <see cref="WaitForResultAsync"/>, the shape of
/// a generated <c>Durable</c> class, so that one can replace this one.
/// </remarks>
public static class CrashWorkload
{
    /// <summary>The orchestration's name.</summary>
    public const string OrchestrationName = "Flows.DurableTask.StorageWorker.CrashWorkload";

    /// <summary>The activity that runs one item.</summary>
    public const string ItemActivityName = OrchestrationName + ".RecordItem";

    /// <summary>The foreach's degree of parallelism.</summary>
    public const int Degree = 10;

    /// <summary>Adds the orchestrator and its activity.</summary>
    public static void Register(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestratorFunc<int[], int[]>(OrchestrationName, RunAsync);
        registry.AddActivity<RecordItemActivity>(ItemActivityName);
    }

    /// <summary>Schedules a run over <paramref name="items"/> and returns its instance id.</summary>
    public static Task<string> ScheduleAsync(
        DurableTaskClient client, IReadOnlyList<int> items, string? instanceId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.ScheduleNewOrchestrationInstanceAsync(
            OrchestrationName, items.ToArray(), new StartOrchestrationOptions(instanceId), cancellationToken);
    }

    /// <summary>Waits for the run to end and reads its result.</summary>
    public static Task<int[]> WaitForResultAsync(DurableTaskClient client, string instanceId, CancellationToken cancellationToken = default) =>
        DurableRun.WaitForResultAsync<int[]>(client, instanceId, cancellationToken);

    /// <summary>How long the body of <paramref name="item"/> takes: 100 to 299 ms, spread over the items.</summary>
    public static TimeSpan DurationOf(int item) => TimeSpan.FromMilliseconds(100 + (item * 37 % 200));

    // The orchestrator: replay-safe, no step logic.
    private static async Task<int[]> RunAsync(TaskOrchestrationContext context, int[] items)
    {
        try
        {
            var options = new ForEachOptions(nameof(CrashWorkload), "RecordItem", Degree, runOnThreadPool: false);
            var results = await DurableForEach.RunAsync<int, int>(
                context, items, options, (item, _) => context.CallActivityAsync<int>(ItemActivityName, item));
            return results.ToArray();
        }
        catch (Exception exception)
        {
            throw DurableFailure.ForRun(exception);
        }
    }

    /// <summary>The body of one item: records its start, works for a while, records its end.</summary>
    private sealed class RecordItemActivity(ExecutionLog log) : TaskActivity<int, int>
    {
        public override async Task<int> RunAsync(TaskActivityContext context, int item)
        {
            log.Start(item);
            await Task.Delay(DurationOf(item)).ConfigureAwait(false);
            log.End(item);
            return item * 10;
        }
    }
}
