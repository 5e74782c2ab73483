namespace Flows.IntegrationTests.ForEachSteps;

/// <summary>Foreach steps in parallel groups, and their degree of parallelism.</summary>
[Collection(TimingCollection.Name)]
public sealed class ForEachGroupTests
{
    public ForEachGroupTests() => Limits.EnsureThreadPoolThreads();

    [Fact]
    public async Task A_foreach_in_a_group_runs_alongside_the_groups_normal_step()
    {
        var probe = new ItemProbe();

        var (sum, other) = await new ForEachInGroup(probe).RunAsync(failAt: -1).OrTimeout();

        Assert.Equal(Enumerable.Range(0, 8).Sum(i => i + 1), sum);
        Assert.Equal("other saw an item", other);
        Assert.Contains("item saw other", probe.Events);
    }

    [Fact]
    public async Task A_failing_item_of_a_foreach_in_a_fail_fast_group_cancels_the_other_member_and_fails_the_run()
    {
        var probe = new ItemProbe();

        var exception = await Assert.ThrowsAsync<ItemFailedException>(() => new ForEachInGroup(probe).RunAsync(failAt: 2).OrTimeout());

        Assert.Equal(2, exception.Item);
        Assert.Contains("other cancelled", probe.Events);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public async Task MaxDegreeOfParallelism_is_reached_and_never_exceeded(int degree)
    {
        var probe = new ItemProbe();

        var results = degree switch
        {
            1 => await new DegreeOne(probe).RunAsync(Enumerable.Range(0, 20).ToArray()).OrTimeout(),
            2 => await new DegreeTwo(probe).RunAsync(Enumerable.Range(0, 20).ToArray()).OrTimeout(),
            _ => await new DegreeFive(probe).RunAsync(Enumerable.Range(0, 20).ToArray()).OrTimeout(),
        };

        Assert.Equal(Enumerable.Range(0, 20), results);
        Assert.Equal(degree, probe.Max);
    }

    [Fact]
    public async Task The_default_degree_is_the_processor_count()
    {
        var probe = new ItemProbe();

        await new DefaultDegree(probe).RunAsync(Enumerable.Range(0, Environment.ProcessorCount * 4).ToArray()).OrTimeout();

        Assert.Equal(Environment.ProcessorCount, probe.Max);
    }

    [Fact]
    public async Task Synchronous_blocking_bodies_overlap_up_to_the_degree()
    {
        var probe = new ItemProbe();

        await new BlockingBodies(probe).RunAsync(Enumerable.Range(0, 12).ToArray()).OrTimeout();

        Assert.Equal(3, probe.Max);
    }

    [Fact]
    public async Task Pausing_a_run_holds_items_that_have_not_started()
    {
        var probe = new ItemProbe();
        var control = new FlowControl();

        var run = new PausingItems(probe, control).RunAsync(Enumerable.Range(0, 10).ToArray(), control).AsTask();
        var waited = Stopwatch.StartNew();
        while (!probe.Events.Contains("paused") && waited.Elapsed < Limits.Hang)
        {
            await Task.Delay(5);
        }

        await Task.Delay(Limits.Quiet);
        Assert.Equal(4, probe.Contexts.Count);
        Assert.False(run.IsCompleted);

        control.Resume();
        Assert.Equal(Enumerable.Range(0, 10), await run.OrTimeout());
    }
}

[Workflow]
public partial class ForEachInGroup(ItemProbe probe)
{
    private readonly ItemProbe _probe = probe;
    private readonly TaskCompletionSource _itemStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _otherStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Step]
    public int[] Items() => Enumerable.Range(0, 8).ToArray();

    [ParallelForEach(nameof(Items), MaxDegreeOfParallelism = 2), Parallel("work")]
    public async Task<int> Process(int item, int failAt, CancellationToken ct)
    {
        _itemStarted.TrySetResult();

        // Each side waits for the other: only members that overlap get past this.
        await _otherStarted.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        _probe.Add("item saw other");
        await Task.Delay(5, ct);
        return item == failAt ? throw new ItemFailedException(item) : item + 1;
    }

    [Step, Parallel("work")]
    public async Task<string> Other(int failAt, CancellationToken ct)
    {
        _otherStarted.TrySetResult();
        await _itemStarted.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        if (failAt >= 0)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                _probe.Add("other cancelled");
                throw;
            }
        }

        return "other saw an item";
    }

    [Step]
    public (int Sum, string Other) Combine(IReadOnlyList<int> process, string other) => (process.Sum(), other);
}

[Workflow]
public partial class DegreeOne(ItemProbe probe)
{
    private readonly ItemProbe _probe = probe;

    [ParallelForEach("items", MaxDegreeOfParallelism = 1)]
    public async Task<int> Run(int item)
    {
        _probe.Enter();
        await Task.Delay(3);
        _probe.Exit();
        return item;
    }
}

[Workflow]
public partial class DegreeTwo(ItemProbe probe)
{
    private readonly ItemProbe _probe = probe;

    [ParallelForEach("items", MaxDegreeOfParallelism = 2)]
    public async Task<int> Run(int item)
    {
        _probe.Enter();
        await Task.Delay(10);
        _probe.Exit();
        return item;
    }
}

[Workflow]
public partial class DegreeFive(ItemProbe probe)
{
    private readonly ItemProbe _probe = probe;

    [ParallelForEach("items", MaxDegreeOfParallelism = 5)]
    public async ValueTask<int> Run(int item)
    {
        _probe.Enter();
        await Task.Delay(10);
        _probe.Exit();
        return item;
    }
}

[Workflow]
public partial class DefaultDegree(ItemProbe probe)
{
    private readonly ItemProbe _probe = probe;

    [ParallelForEach("items")]
    public async Task Run(int item)
    {
        _probe.Enter();
        await Task.Delay(15);
        _probe.Exit();
    }
}

[Workflow]
public partial class BlockingBodies(ItemProbe probe)
{
    private readonly ItemProbe _probe = probe;

    [ParallelForEach("items", MaxDegreeOfParallelism = 3)]
    public void Run(int item)
    {
        _probe.Enter();
#pragma warning disable FLOW004 // blocking on purpose: the body is CPU-bound work stand-in
        Thread.Sleep(25);
#pragma warning restore FLOW004
        _probe.Exit();
    }
}

[Workflow]
public partial class PausingItems(ItemProbe probe, FlowControl control)
{
    private readonly ItemProbe _probe = probe;
    private readonly FlowControl _control = control;

    [ParallelForEach("items", MaxDegreeOfParallelism = 4)]
    public async Task<int> Run(int item, StepContext context)
    {
        _probe.Enter(context);
        if (item == 3)
        {
            // Every worker is busy with an item when the run pauses.
            _control.Pause();
            _probe.Add("paused");
        }

        await Task.Delay(20);
        _probe.Exit();
        return item;
    }
}
