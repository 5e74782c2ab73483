using System.Diagnostics;

namespace Flows.DurableTask.StorageTests;

/// <summary>Two worker processes on one task hub share the items of a 200-item durable foreach.</summary>
[Collection(StorageCollection.Name)]
public sealed class ScaleOutTests(StorageFixture storage, ITestOutputHelper output)
{
    private const int ItemCount = 200;

    [Fact]
    public async Task Two_workers_on_one_task_hub_both_run_items_and_the_result_is_the_same()
    {
        var clock = Stopwatch.StartNew();
        await using var run = await storage.StartRunAsync("scale", output);
        var items = Enumerable.Range(0, ItemCount).ToArray();

        var workers = await Task.WhenAll(run.StartWorkerAsync("a"), run.StartWorkerAsync("b"));
        var instanceId = await CrashWorkload.Durable.ScheduleAsync(run.Client, items, $"scale-{Guid.NewGuid():N}");
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var result = await CrashWorkload.Durable.WaitForResultAsync(run.Client, instanceId, limit.Token);

        var records = run.Executions();
        var starts = records.StartsByItem;
        output.WriteLine($"run completed at {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var worker in workers)
        {
            output.WriteLine($"worker {worker.Name} (pid {worker.Id}): started {records.StartedIn(worker.Id).Count}, ended {records.EndedIn(worker.Id).Count}");
        }

        output.WriteLine($"executions per item: {string.Join(", ", starts.GroupBy(pair => pair.Value).OrderBy(g => g.Key).Select(g => $"{g.Count()} items x{g.Key}"))}");

        Assert.Equal(items.Select(item => item * 10), result);
        Assert.Equal(items, records.EndedItems.Order());
        Assert.All(workers, worker => Assert.NotEmpty(records.EndedIn(worker.Id)));
        // Nothing failed, so nothing ran twice: each item's body ran once, in one of the two processes.
        Assert.Equal(items, starts.Keys.Order());
        Assert.All(starts, pair => Assert.Equal(1, pair.Value));
        Assert.Equal(ItemCount, workers.Sum(worker => records.EndedIn(worker.Id).Count));
    }
}
