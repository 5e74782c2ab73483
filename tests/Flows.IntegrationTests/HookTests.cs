namespace Flows.IntegrationTests;

public sealed class HookTests
{
    [Fact]
    public async Task Starting_and_completed_are_called_around_every_step_with_its_context_and_elapsed_time()
    {
        var workflow = new HookedWorkflow();

        await workflow.RunAsync().OrTimeout();

        var starts = workflow.Calls.Where(call => call.Hook == "starting").Select(call => call.Context.Step).ToArray();
        var completions = workflow.Calls.Where(call => call.Hook == "completed").ToArray();
        Assert.Equal(4, starts.Length);
        Assert.Equal("Load", starts[0]);
        Assert.Equal(new[] { "Quick", "Slow" }, starts[1..3].OrderBy(s => s, StringComparer.Ordinal));
        Assert.Equal("Save", starts[3]);
        Assert.Equal(4, completions.Length);
        Assert.DoesNotContain(workflow.Calls, call => call.Hook == "failed");

        foreach (var call in workflow.Calls)
        {
            Assert.Equal(nameof(HookedWorkflow), call.Context.Workflow);
            Assert.Equal(1, call.Context.Attempt);
            Assert.Equal(-1, call.Context.Index);
            Assert.Equal(-1, call.Context.Count);
        }

        Assert.All(completions, call => Assert.True(call.Elapsed > TimeSpan.Zero, $"{call.Context.Step} completed in {call.Elapsed}."));
        var load = completions.Single(call => call.Context.Step == nameof(HookedWorkflow.Load));
        Assert.True(load.Elapsed >= TimeSpan.FromMilliseconds(40), $"Load waits 50 ms but reported {load.Elapsed.TotalMilliseconds} ms.");
    }

    [Fact]
    public async Task Each_step_is_started_before_it_runs_and_completed_after_it_ends()
    {
        var workflow = new HookedWorkflow();

        await workflow.RunAsync().OrTimeout();

        var log = workflow.Log;
        foreach (var step in new[] { "Load", "Slow", "Quick", "Save" })
        {
            log.AssertBefore("starting " + step, "run " + step);
            log.AssertBefore("run " + step, "completed " + step);
        }

        log.AssertBefore("completed Load", "starting Slow");
        log.AssertBefore("completed Slow", "starting Save");
        log.AssertBefore("completed Quick", "starting Save");
    }

    [Fact]
    public async Task The_context_passed_to_a_step_is_the_one_the_hooks_receive()
    {
        var workflow = new HookedWorkflow();

        await workflow.RunAsync().OrTimeout();

        var started = workflow.Calls.First(call => call.Hook == "starting" && call.Context.Step == nameof(HookedWorkflow.Save)).Context;
        Assert.Equal(started.Workflow, workflow.SaveContext.Workflow);
        Assert.Equal(started.Step, workflow.SaveContext.Step);
        Assert.Equal(started.Attempt, workflow.SaveContext.Attempt);
    }

    [Fact]
    public async Task Failed_is_called_with_the_exception_and_completed_is_not()
    {
        var workflow = new HookedFailure();

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => workflow.RunAsync().OrTimeout());

        var failed = Assert.Single(workflow.Calls, call => call.Hook == "failed");
        Assert.Equal(nameof(HookedFailure.Breaks), failed.Context.Step);
        Assert.Equal(nameof(HookedFailure), failed.Context.Workflow);
        Assert.Same(exception, failed.Exception);
        Assert.DoesNotContain(workflow.Calls, call => call.Hook == "completed" && call.Context.Step == nameof(HookedFailure.Breaks));
        Assert.Contains(workflow.Calls, call => call.Hook == "completed" && call.Context.Step == nameof(HookedFailure.Works));
        Assert.DoesNotContain(workflow.Calls, call => call.Context.Step == nameof(HookedFailure.Never));
    }

    [Fact]
    public async Task Failed_is_called_for_a_synchronous_step_that_throws()
    {
        var workflow = new HookedSynchronousFailure();

        var exception = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => workflow.RunAsync().OrTimeout());

        var failed = Assert.Single(workflow.Failures);
        Assert.Same(exception, failed);
    }

    [Fact]
    public async Task A_static_workflow_implements_static_hooks()
    {
        StaticHookedWorkflow.Steps.Clear();

        var result = await StaticHookedWorkflow.RunAsync(4).OrTimeout();

        Assert.Equal(8, result);
        Assert.Equal(new[] { "starting Double", "completed Double" }, StaticHookedWorkflow.Steps);
    }

    [Fact]
    public async Task Only_the_implemented_hook_runs()
    {
        var workflow = new OnlyCompletedHook();

        var result = await workflow.RunAsync().OrTimeout();

        Assert.Equal(2, result);
        Assert.Equal(new[] { "One", "Two" }, workflow.Completed.OrderBy(s => s, StringComparer.Ordinal));
    }
}

public sealed record HookCall(string Hook, StepContext Context, TimeSpan Elapsed, Exception? Exception);

[Workflow]
public partial class HookedWorkflow
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<HookCall> _calls = new();

    public IReadOnlyList<HookCall> Calls => _calls.ToArray();

    public EventLog Log { get; } = new();

    public StepContext SaveContext { get; private set; }

    [Step]
    public async Task<int> Load()
    {
        Log.Add("run " + nameof(Load));
        await Task.Delay(50);
        return 1;
    }

    [Parallel("g")]
    public async Task Slow(CancellationToken ct)
    {
        Log.Add("run " + nameof(Slow));
        await Task.Delay(30, ct);
    }

    [Parallel("g")]
    public int Quick(int load)
    {
        Log.Add("run " + nameof(Quick));
        return load + 1;
    }

    [Step]
    public void Save(int quick, StepContext context)
    {
        Log.Add("run " + nameof(Save));
        SaveContext = context;
    }

    partial void OnStepStarting(in StepContext context)
    {
        _calls.Enqueue(new HookCall("starting", context, TimeSpan.Zero, null));
        Log.Add("starting " + context.Step);
    }

    partial void OnStepCompleted(in StepContext context, TimeSpan elapsed)
    {
        _calls.Enqueue(new HookCall("completed", context, elapsed, null));
        Log.Add("completed " + context.Step);
    }

    partial void OnStepFailed(in StepContext context, Exception exception)
    {
        _calls.Enqueue(new HookCall("failed", context, TimeSpan.Zero, exception));
        Log.Add("failed " + context.Step);
    }
}

[Workflow]
public partial class HookedFailure
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<HookCall> _calls = new();

    public IReadOnlyList<HookCall> Calls => _calls.ToArray();

    [Step]
    public void Works()
    {
    }

    [Step]
    public async Task Breaks()
    {
        await Task.Yield();
        throw new InvalidOperationException("broken");
    }

    [Step]
    public void Never()
    {
    }

    partial void OnStepStarting(in StepContext context) => _calls.Enqueue(new HookCall("starting", context, TimeSpan.Zero, null));

    partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) => _calls.Enqueue(new HookCall("completed", context, elapsed, null));

    partial void OnStepFailed(in StepContext context, Exception exception) => _calls.Enqueue(new HookCall("failed", context, TimeSpan.Zero, exception));
}

[Workflow]
public partial class HookedSynchronousFailure
{
    public System.Collections.Concurrent.ConcurrentQueue<Exception> Failures { get; } = new();

    [Step]
    public int Breaks() => throw new ArgumentOutOfRangeException("value");

    [Step]
    public void Never(int breaks)
    {
    }

    partial void OnStepFailed(in StepContext context, Exception exception) => Failures.Enqueue(exception);
}

[Workflow]
public partial class OnlyCompletedHook
{
    public System.Collections.Concurrent.ConcurrentQueue<string> Completed { get; } = new();

    [Parallel("g")]
    public void One()
    {
    }

    [Parallel("g")]
    public Task<int> Two() => Task.FromResult(2);

    partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) => Completed.Enqueue(context.Step);
}

[Workflow]
public static partial class StaticHookedWorkflow
{
    public static List<string> Steps { get; } = new();

    [Step]
    public static int Double(int value) => value * 2;

    static partial void OnStepStarting(in StepContext context)
    {
        lock (Steps)
        {
            Steps.Add("starting " + context.Step);
        }
    }

    static partial void OnStepCompleted(in StepContext context, TimeSpan elapsed)
    {
        lock (Steps)
        {
            Steps.Add("completed " + context.Step);
        }
    }
}
