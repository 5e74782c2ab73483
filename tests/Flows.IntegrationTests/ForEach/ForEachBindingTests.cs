namespace Flows.IntegrationTests.ForEachSteps;

/// <summary>How generated foreach steps bind: inputs as sources, outputs, outcomes, bodies without results.</summary>
public sealed class ForEachBindingTests
{
    [Fact]
    public async Task An_input_named_only_by_a_foreach_source_becomes_an_IReadOnlyList_parameter()
    {
        var run = typeof(InputSource).GetMethods().Single(m => m.Name == "RunAsync" && m.GetParameters().Length == 3);
        Assert.Equal(new[] { "ids", "prefix", "cancellationToken" }, run.GetParameters().Select(p => p.Name));
        Assert.Equal(typeof(IReadOnlyList<int>), run.GetParameters()[0].ParameterType);

        var labels = await new InputSource().RunAsync(new List<int> { 7, 3, 5 }, "id-").OrTimeout();

        Assert.Equal(new[] { "id-7@0", "id-3@1", "id-5@2" }, labels);
    }

    [Fact]
    public async Task An_input_a_step_declares_as_an_array_keeps_the_array_type()
    {
        var run = typeof(ArrayInputSource).GetMethods().Single(m => m.Name == "RunAsync" && m.GetParameters().Length == 2);
        Assert.Equal(typeof(int[]), run.GetParameters()[0].ParameterType);

        var (count, doubled) = await new ArrayInputSource().RunAsync(new[] { 1, 2, 3, 4 }).OrTimeout();

        Assert.Equal(4, count);
        Assert.Equal(new[] { 2, 4, 6, 8 }, doubled);
    }

    [Fact]
    public async Task ContinueOnError_gives_the_consumer_an_outcome_per_item_in_order()
    {
        var summary = await new OutcomeConsumer().RunAsync().OrTimeout();

        Assert.Equal("ok:0 failed:1 ok:20 failed:3 ok:40 failed:5", summary);
    }

    [Fact]
    public async Task ContinueOnError_with_a_minimum_success_rate_fails_the_run_when_too_many_items_fail()
    {
        var exception = await Assert.ThrowsAsync<AggregateException>(() => new StrictOutcomeConsumer().RunAsync(failEvery: 2).OrTimeout());

        Assert.Equal(new[] { 0, 2, 4, 6, 8 }, exception.InnerExceptions.Select(e => Assert.IsType<ItemFailedException>(e).Item));
        Assert.Equal(9, await new StrictOutcomeConsumer().RunAsync(failEvery: 100).OrTimeout());
    }

    [Fact]
    public async Task A_failing_item_fails_the_run_with_its_own_exception()
    {
        var probe = new ItemProbe();

        var exception = await Assert.ThrowsAsync<ItemFailedException>(() => new FailingItems(probe).RunAsync().OrTimeout());

        Assert.Equal(3, exception.Item);
        Assert.DoesNotContain("consumed", probe.Events);
        Assert.Contains("cancelled", probe.Events);
    }

    [Fact]
    public async Task Void_and_Task_bodies_run_per_item_and_give_no_output()
    {
        var probe = new ItemProbe();

        ValueTask run = new NoOutputBodies(probe).RunAsync(new[] { "a", "b", "c" });
        await run.OrTimeout();

        var events = probe.Events;
        Assert.Equal(new[] { "record a", "record b", "record c" }, events.Where(e => e.StartsWith("record", StringComparison.Ordinal)).Order());
        Assert.Equal(new[] { "send a", "send b", "send c" }, events.Where(e => e.StartsWith("send", StringComparison.Ordinal)).Order());

        // The void body ran as a stage before the Task body.
        Assert.True(events.ToList().FindLastIndex(e => e.StartsWith("record", StringComparison.Ordinal)) < events.ToList().FindIndex(e => e.StartsWith("send", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Cancelling_the_run_cancels_running_items_and_ends_with_OperationCanceledException()
    {
        var probe = new ItemProbe();
        using var cts = new CancellationTokenSource();

        var run = new CancellableItems(probe).RunAsync(Enumerable.Range(0, 50).ToArray(), cts.Token).AsTask();
        var waited = Stopwatch.StartNew();
        while (probe.Current < 2 && waited.Elapsed < Limits.Hang)
        {
            await Task.Delay(5);
        }

        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        Assert.Equal(2, probe.Events.Count(e => e == "cancelled"));
        await Task.Delay(50);
        Assert.Equal(2, probe.Contexts.Count);
    }
}

[Workflow]
public partial class InputSource
{
    [ParallelForEach("ids", MaxDegreeOfParallelism = 2)]
    public async Task<string> Label(int id, string prefix, StepContext context)
    {
        await Task.Delay(id);
        return $"{prefix}{id}@{context.Index}";
    }

    [Step]
    public IReadOnlyList<string> Labels(IReadOnlyList<string> label) => label;
}

[Workflow]
public partial class ArrayInputSource
{
    [Step]
    public int CountIds(int[] ids) => ids.Length;

    [ParallelForEach("ids")]
    public int Double(int id) => id * 2;

    [Step]
    public (int Count, IReadOnlyList<int> Doubled) Both(int countIds, IReadOnlyList<int> @double) => (countIds, @double);
}

[Workflow]
public partial class OutcomeConsumer
{
    [Step]
    public int[] Numbers() => Enumerable.Range(0, 6).ToArray();

    [ParallelForEach(nameof(Numbers), ContinueOnError = true, MaxDegreeOfParallelism = 3)]
    public async Task<int> Check(int number)
    {
        await Task.Delay((6 - number) * 2);
        return number % 2 == 1 ? throw new ItemFailedException(number) : number * 10;
    }

    [Step]
    public string Summary(IReadOnlyList<Outcome<int>> check) =>
        string.Join(" ", check.Select(o => o.TryGetValue(out var value) ? $"ok:{value}" : $"failed:{((ItemFailedException)o.Exception!).Item}"));
}

[Workflow]
public partial class StrictOutcomeConsumer
{
    [Step]
    public int[] Numbers() => Enumerable.Range(0, 10).ToArray();

    [ParallelForEach(nameof(Numbers), ContinueOnError = true, MinSuccessRate = 0.8)]
    public int Check(int number, int failEvery) => number % failEvery == 0 ? throw new ItemFailedException(number) : number;

    [Step]
    public int Successes(IReadOnlyList<Outcome<int>> check) => check.Count(o => o.IsSuccess);
}

[Workflow]
public partial class FailingItems(ItemProbe probe)
{
    private readonly ItemProbe _probe = probe;

    [Step]
    public int[] Numbers() => Enumerable.Range(0, 20).ToArray();

    [ParallelForEach(nameof(Numbers), MaxDegreeOfParallelism = 4)]
    public async Task<int> Process(int number, CancellationToken ct)
    {
        if (number == 3)
        {
            await Task.Delay(30, CancellationToken.None);
            throw new ItemFailedException(number);
        }

        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            _probe.Add("cancelled");
            throw;
        }

        return number;
    }

    [Step]
    public void Consume(IReadOnlyList<int> process) => _probe.Add("consumed");
}

[Workflow]
public partial class NoOutputBodies(ItemProbe probe)
{
    private readonly ItemProbe _probe = probe;

    [ParallelForEach("names", MaxDegreeOfParallelism = 2)]
    public void Record(string name) => _probe.Add($"record {name}");

    [ParallelForEach("names", MaxDegreeOfParallelism = 2)]
    public async Task Send(string name, CancellationToken ct)
    {
        await Task.Delay(5, ct);
        _probe.Add($"send {name}");
    }
}

[Workflow]
public partial class CancellableItems(ItemProbe probe)
{
    private readonly ItemProbe _probe = probe;

    [ParallelForEach("items", MaxDegreeOfParallelism = 2)]
    public async Task<int> Wait(int item, StepContext context, CancellationToken ct)
    {
        _probe.Enter(context);
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
            return item;
        }
        catch (OperationCanceledException)
        {
            _probe.Add("cancelled");
            throw;
        }
        finally
        {
            _probe.Exit();
        }
    }
}
