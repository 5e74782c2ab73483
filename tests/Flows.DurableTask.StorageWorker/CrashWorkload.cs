
namespace Flows.DurableTask.StorageWorker;

/// <summary>
/// The workload the storage tests run: a generated durable foreach over the items, at most <see cref="Degree"/> activity
/// calls in flight, each taking 100 to 300 ms and recording its execution in the <see cref="ExecutionLog"/>; the result
/// is <c>item * 10</c> for every item, in source order.
/// </summary>
/// <remarks>
/// The step body runs only in the activity, which the worker creates with the <see cref="ExecutionLog"/> from its
/// services. Everything else is the generated <c>Durable</c> class.
/// </remarks>
[Workflow(Durable = true)]
public sealed partial class CrashWorkload(ExecutionLog log)
{
    /// <summary>The foreach's degree of parallelism.</summary>
    public const int Degree = 10;

    /// <summary>How long the body of <paramref name="item"/> takes: 100 to 299 ms, spread over the items.</summary>
    public static TimeSpan DurationOf(int item) => TimeSpan.FromMilliseconds(100 + (item * 37 % 200));

    /// <summary>The body of one item: records its start, works for a while, records its end.</summary>
    [ParallelForEach("items", MaxDegreeOfParallelism = Degree)]
    public async Task<int> RecordItemAsync(int item)
    {
        log.Start(item);
        await Task.Delay(DurationOf(item)).ConfigureAwait(false);
        log.End(item);
        return item * 10;
    }
}
