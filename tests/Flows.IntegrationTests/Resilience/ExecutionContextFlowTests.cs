using System.Collections.Concurrent;

namespace Flows.IntegrationTests.ResilienceSteps;

/// <summary>
/// STYLE.md 6b: work the run queues to the thread pool flows the caller's <see cref="ExecutionContext"/>, as
/// <c>Parallel.ForEachAsync</c> does, so an <see cref="AsyncLocal{T}"/> the caller set reaches every step, item and hook,
/// on every path that hops: synchronous group members, synchronous and asynchronous foreach bodies (bounded and
/// unbounded, over lists, sequences and streams), Dataflow steps, retries after a delay and timed attempts.
/// </summary>
public sealed class ExecutionContextFlowTests
{
    public ExecutionContextFlowTests() => Limits.EnsureThreadPoolThreads();

    [Fact]
    public async Task Synchronous_and_asynchronous_group_members_and_hooks_see_the_callers_AsyncLocal()
    {
        var value = Ambient.Enter();
        var workflow = new AmbientGroup();

        await workflow.RunAsync().OrTimeout();

        Ambient.AssertAllSaw(value, workflow.Seen, "Sync", "Async", "hook starting Sync", "hook completed Sync", "hook starting Async");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(-1)]
    public async Task A_synchronous_foreach_body_sees_the_callers_AsyncLocal_on_every_item(int degree)
    {
        var value = Ambient.Enter();
        var workflow = new AmbientSynchronousItems();
        var items = Enumerable.Range(0, 64).ToArray();

        var results = degree == 4 ? await workflow.RunAsync(items).OrTimeout() : await new AmbientUnboundedItems().RunAsync(items).OrTimeout();

        Assert.All(results, seen => Assert.Equal(value, seen));
    }

    [Fact]
    public async Task A_synchronous_foreach_body_over_a_lazy_sequence_and_a_stream_sees_the_callers_AsyncLocal()
    {
        var value = Ambient.Enter();

        var fromSequence = await new AmbientSequenceItems().RunAsync(Enumerable.Range(0, 32).Select(i => i)).OrTimeout();
        var fromStream = await new AmbientStreamItems().RunAsync(Numbers(32)).OrTimeout();

        Assert.All(fromSequence, seen => Assert.Equal(value, seen));
        Assert.All(fromStream, seen => Assert.Equal(value, seen));
    }

    [Fact]
    public async Task An_asynchronous_foreach_body_sees_the_callers_AsyncLocal_before_and_after_it_suspends()
    {
        var value = Ambient.Enter();

        var results = await new AmbientAsyncItems().RunAsync(Enumerable.Range(0, 32).ToArray()).OrTimeout();

        Assert.All(results, seen => Assert.Equal(value + "/" + value, seen));
    }

    [Fact]
    public async Task Dataflow_steps_see_the_callers_AsyncLocal()
    {
        var value = Ambient.Enter();
        var workflow = new AmbientDataflow();

        await workflow.RunAsync().OrTimeout();

        Ambient.AssertAllSaw(value, workflow.Seen, "Left", "Right", "Join");
    }

    [Fact]
    public async Task Retried_and_timed_attempts_and_foreach_items_see_the_callers_AsyncLocal()
    {
        var value = Ambient.Enter();
        var workflow = new AmbientResilience();

        await workflow.RunAsync(Enumerable.Range(0, 16).ToArray()).OrTimeout();

        Ambient.AssertAllSaw(value, workflow.Seen, "Flaky#1", "Flaky#2", "Timed#1", "Timed#2", "Member#1", "Member#2");
        Assert.Equal(32, workflow.Seen.Keys.Count(key => key.StartsWith("Item", StringComparison.Ordinal)));
        Assert.All(workflow.Seen.Where(pair => pair.Key.StartsWith("Item", StringComparison.Ordinal)), pair => Assert.Equal(value, pair.Value));
    }

    [Fact]
    public async Task A_body_that_changes_the_AsyncLocal_does_not_change_the_callers()
    {
        var value = Ambient.Enter();

        await new AmbientChangingItems().RunAsync(Enumerable.Range(0, 16).ToArray()).OrTimeout();

        Assert.Equal(value, Ambient.Current.Value);
    }

    [Fact]
    public async Task With_the_flow_suppressed_a_synchronous_foreach_body_runs_and_sees_no_AsyncLocal()
    {
        Ambient.Enter();
        ValueTask<IReadOnlyList<string?>> run;
        using (ExecutionContext.SuppressFlow())
        {
            run = new AmbientSynchronousItems().RunAsync(Enumerable.Range(0, 16).ToArray());
        }

        var results = await run.OrTimeout();

        Assert.Equal(16, results.Count);
        Assert.All(results, Assert.Null);
    }

    private static async IAsyncEnumerable<int> Numbers(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }
}

internal static class Ambient
{
    public static readonly AsyncLocal<string?> Current = new();

    /// <summary>Sets a value unique to the calling test, so that tests running at once do not mask each other.</summary>
    public static string Enter()
    {
        var value = Guid.NewGuid().ToString("N");
        Current.Value = value;
        return value;
    }

    public static void AssertAllSaw(string expected, ConcurrentDictionary<string, string?> seen, params string[] where)
    {
        foreach (var place in where)
        {
            Assert.True(seen.TryGetValue(place, out var value), $"Nothing recorded at '{place}': [{string.Join(", ", seen.Keys)}]");
            Assert.True(expected == value, $"At '{place}' the AsyncLocal was '{value ?? "null"}', not the caller's '{expected}'.");
        }
    }
}

[Workflow]
public partial class AmbientGroup
{
    public ConcurrentDictionary<string, string?> Seen { get; } = new();

    [Parallel("g")]
    public int Sync()
    {
        Seen["Sync"] = Ambient.Current.Value;
        return 1;
    }

    [Parallel("g")]
    public async Task<int> Async()
    {
        await Task.Yield();
        Seen["Async"] = Ambient.Current.Value;
        return 2;
    }

    partial void OnStepStarting(in StepContext context) => Seen["hook starting " + context.Step] = Ambient.Current.Value;

    partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) => Seen["hook completed " + context.Step] = Ambient.Current.Value;
}

[Workflow]
public partial class AmbientSynchronousItems
{
    [ParallelForEach("items", MaxDegreeOfParallelism = 4)]
    public string? Read(int item)
    {
        Thread.SpinWait(200);
        return Ambient.Current.Value;
    }
}

[Workflow]
public partial class AmbientUnboundedItems
{
    [ParallelForEach("items", MaxDegreeOfParallelism = -1)]
    public string? Read(int item)
    {
        Cpu.SpinFor(1);
        return Ambient.Current.Value;
    }
}

[Workflow]
public partial class AmbientSequenceItems
{
    [ParallelForEach("items", MaxDegreeOfParallelism = 3)]
    public string? Read(int item, IEnumerable<int> items) => Ambient.Current.Value;
}

[Workflow]
public partial class AmbientStreamItems
{
    [ParallelForEach("items", MaxDegreeOfParallelism = 3)]
    public string? Read(int item, IAsyncEnumerable<int> items) => Ambient.Current.Value;
}

[Workflow]
public partial class AmbientAsyncItems
{
    [ParallelForEach("items", MaxDegreeOfParallelism = 4)]
    public async Task<string> Read(int item)
    {
        var before = Ambient.Current.Value;
        await Task.Yield();
        return before + "/" + Ambient.Current.Value;
    }
}

[Workflow]
public partial class AmbientChangingItems
{
    [ParallelForEach("items", MaxDegreeOfParallelism = 4)]
    public void Change(int item) => Ambient.Current.Value = "changed by item " + item;
}

[Workflow(Scheduling = Scheduling.Dataflow)]
public partial class AmbientDataflow
{
    public ConcurrentDictionary<string, string?> Seen { get; } = new();

    [Step]
    public int Left()
    {
        Seen["Left"] = Ambient.Current.Value;
        return 1;
    }

    [Step]
    public async Task<int> Right()
    {
        await Task.Yield();
        Seen["Right"] = Ambient.Current.Value;
        return 2;
    }

    [Step]
    public int Join(int left, int right)
    {
        Seen["Join"] = Ambient.Current.Value;
        return left + right;
    }
}

[Workflow]
public partial class AmbientResilience
{
    public ConcurrentDictionary<string, string?> Seen { get; } = new();

    [Step, Retry(2, DelayMilliseconds = 5)]
    public int Flaky(StepContext context)
    {
        Seen["Flaky#" + context.Attempt] = Ambient.Current.Value;
        return context.Attempt == 1 ? throw new InvalidOperationException("first attempt") : 1;
    }

    [Step, Retry(2), Timeout(5_000)]
    public async Task<int> Timed(int flaky, StepContext context, CancellationToken ct)
    {
        Seen["Timed#" + context.Attempt] = Ambient.Current.Value;
        await Task.Yield();
        return context.Attempt == 1 ? throw new InvalidOperationException("first attempt") : flaky;
    }

    [Parallel("g"), Retry(2), Timeout(5_000)]
    public int Member(int timed, StepContext context, CancellationToken ct)
    {
        Seen["Member#" + context.Attempt] = Ambient.Current.Value;
        return context.Attempt == 1 ? throw new InvalidOperationException("first attempt") : timed;
    }

    [Parallel("g")]
    public int Other(int timed) => timed;

    [ParallelForEach("items", MaxDegreeOfParallelism = 4), Retry(2), Timeout(5_000)]
    public int Item(int item, StepContext context, CancellationToken ct)
    {
        Seen[$"Item{item}#{context.Attempt}"] = Ambient.Current.Value;
        return context.Attempt == 1 ? throw new InvalidOperationException("first attempt") : item;
    }
}
