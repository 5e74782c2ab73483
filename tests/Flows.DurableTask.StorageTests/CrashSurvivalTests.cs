using System.Diagnostics;

namespace Flows.DurableTask.StorageTests;

/// <summary>
/// A worker process killed in the middle of a 200-item durable foreach: a new worker process finishes the run from what
/// the backend recorded, and no item whose completion was recorded before the kill runs again.
/// </summary>
/// <remarks>
/// <para>Which items may run twice. The orchestration's state is what the store recorded: the items it scheduled (in
/// source order, so items 0 to <c>S - 1</c>) and those it saw complete (<c>C</c>). Two kinds of item are not settled at
/// the kill and may run again: one that had been scheduled but not recorded complete (its activity was running, or had
/// finished without its result having been recorded), and one that the kill's last orchestration episode scheduled
/// after <c>S - 1</c>: the Azure Storage provider sends an episode's activity messages before it records the episode's
/// history, so the new worker replays from the last recorded history and schedules those items again (at most
/// <see cref="CrashWorkload.Degree"/> of them, as the window allows). So an item that ran twice is never in <c>C</c>
/// and is below <c>S + Degree</c>.</para>
/// <para>The store is read after the kill and before the new worker starts, when no process can change it: it then holds
/// exactly what was recorded before the kill.</para>
/// </remarks>
[Collection(StorageCollection.Name)]
public sealed class CrashSurvivalTests(StorageFixture storage, ITestOutputHelper output)
{
    private const int ItemCount = 200;

    [Fact]
    public async Task A_run_survives_its_worker_being_killed_and_items_recorded_before_the_kill_do_not_run_again()
    {
        var clock = Stopwatch.StartNew();
        await using var run = await storage.StartRunAsync("crash", output);
        var items = Enumerable.Range(0, ItemCount).ToArray();

        var first = await run.StartWorkerAsync("first");
        var instanceId = await CrashWorkload.Durable.ScheduleAsync(run.Client, items, $"crash-{Guid.NewGuid():N}");

        // Mid-run: the first worker has done 30 % of the items.
        await run.WaitForExecutionsAsync(
            records => records.EndedIn(first.Id).Count >= ItemCount * 3 / 10, TimeSpan.FromMinutes(2), "the first worker to finish 60 items");
        first.Kill();
        var killedAt = clock.Elapsed;
        var recorded = await run.Store.RecordedActivitiesAsync(instanceId);
        var atKill = run.Executions();

        var second = await run.StartWorkerAsync("second");
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var result = await CrashWorkload.Durable.WaitForResultAsync(run.Client, instanceId, limit.Token);
        var completedAt = clock.Elapsed;

        var records = run.Executions();
        var starts = records.StartsByItem;
        var ranTwice = starts.Where(pair => pair.Value > 1).Select(pair => pair.Key).Order().ToArray();
        output.WriteLine($"killed the first worker at {killedAt.TotalSeconds:F1} s; the run completed at {completedAt.TotalSeconds:F1} s");
        output.WriteLine($"first worker (pid {first.Id}): started {atKill.StartedIn(first.Id).Count}, ended {atKill.EndedIn(first.Id).Count}");
        output.WriteLine($"second worker (pid {second.Id}): started {records.StartedIn(second.Id).Count}, ended {records.EndedIn(second.Id).Count}");
        output.WriteLine($"recorded before the kill: {recorded.Scheduled.Count} scheduled, {recorded.Completed.Count} completed");
        output.WriteLine($"ended in the first worker but not recorded: [{string.Join(", ", atKill.EndedIn(first.Id).Except(recorded.Completed).Order())}]");
        output.WriteLine($"executions per item: {Describe(starts)}; ran twice: [{string.Join(", ", ranTwice)}]");

        Assert.Equal(items.Select(item => item * 10), result);
        Assert.Equal(items, records.EndedItems.Order());
        Assert.Equal(items, starts.Keys.Order());
        Assert.InRange(recorded.Completed.Count, 1, ItemCount - 1);
        Assert.All(recorded.Completed, item => Assert.Equal(1, starts[item]));
        Assert.All(ranTwice, item => Assert.DoesNotContain(item, recorded.Completed));
        Assert.All(ranTwice, item => Assert.InRange(item, 0, recorded.Scheduled.Count + CrashWorkload.Degree - 1));
        // Twice at most; three times only for an item of the kill's unrecorded episode that the first worker had already
        // started (its message comes back, and the replay schedules it again).
        Assert.All(starts, pair => Assert.InRange(
            pair.Value, 1, atKill.StartedIn(first.Id).Contains(pair.Key) && !recorded.Scheduled.Contains(pair.Key) ? 3 : 2));
        Assert.NotEmpty(records.StartedIn(second.Id));
    }

    private static string Describe(IReadOnlyDictionary<int, int> starts) =>
        string.Join(", ", starts.GroupBy(pair => pair.Value).OrderBy(group => group.Key).Select(group => $"{group.Count()} items x{group.Key}"));
}
