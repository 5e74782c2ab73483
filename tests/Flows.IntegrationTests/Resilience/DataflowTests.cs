using System.IO;

namespace Flows.IntegrationTests.ResilienceSteps;

[Collection(TimingCollection.Name)]
public sealed class DataflowTimingTests
{
    public DataflowTimingTests() => Limits.EnsureThreadPoolThreads();

    [Fact]
    public async Task The_diamond_runs_each_step_as_soon_as_its_inputs_are_ready()
    {
        // A 50 ms -> C 250 ms and B 300 ms -> D 50 ms, then Join(c, d): about 350 ms by dataflow; stage by stage
        // (A with B, then C with D) it would take 300 + 250 = 550 ms.
        var log = new EventLog();
        var result = 0;

        var elapsed = await Limits.FastestRun(
            async () => result = await new Diamond(log).RunAsync(1),
            TimeSpan.FromMilliseconds(480));

        Assert.Equal(((1 + 1) * 10) + ((1 + 2) * 100), result);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(340), $"The diamond took {elapsed}; B then D alone take 350 ms.");
        Assert.True(elapsed < TimeSpan.FromMilliseconds(480), $"The diamond took {elapsed}; expected about 350 ms, not 550.");
    }
}

public sealed class DataflowTests
{
    public DataflowTests() => Limits.EnsureThreadPoolThreads();

    [Fact]
    public async Task The_diamond_starts_C_when_A_completes_without_waiting_for_B()
    {
        var log = new EventLog();

        await new Diamond(log).RunAsync(1).OrTimeout();

        log.AssertBefore("end A", "start C");
        log.AssertBefore("start C", "end B");
        log.AssertBefore("end B", "start D");
        log.AssertBefore("end C", "start Join");
        log.AssertBefore("end D", "start Join");
    }

    [Fact]
    public async Task After_orders_a_step_after_another_without_data_and_unordered_steps_overlap()
    {
        var log = new EventLog();

        var result = await new OrderedWithoutData(log).RunAsync().OrTimeout();

        Assert.Equal("done", result);
        log.AssertBefore("end Migrate", "start Seed");
        log.AssertBefore("start Warm", "end Migrate");
        log.AssertBefore("end Seed", "start Report");
        log.AssertBefore("end Warm", "start Report");
    }

    [Fact]
    public async Task A_failure_in_one_branch_cancels_the_other_and_the_original_exception_is_rethrown_after_it_stopped()
    {
        var log = new EventLog();
        var workflow = new FailingBranch(log);

        var exception = await Assert.ThrowsAsync<InvalidDataException>(() => workflow.RunAsync().OrTimeout());
        var eventsWhenThrown = log.Events;

        Assert.Same(workflow.Thrown, exception);
        Assert.Contains(nameof(FailingBranch.Broken), exception.StackTrace);
        Assert.Contains("cancelled Long", eventsWhenThrown);
        Assert.Contains("stopped Long", eventsWhenThrown);
        Assert.DoesNotContain("start AfterLong", eventsWhenThrown);
        Assert.DoesNotContain("start Join", eventsWhenThrown);
        await Task.Delay(Limits.Quiet);
        Assert.False(log.Started("AfterLong"));
        Assert.False(log.Started("Join"));
    }

    [Fact]
    public async Task The_result_is_the_last_declared_steps_output_even_when_another_step_finishes_later()
    {
        var log = new EventLog();

        var result = await new LastDeclaredIsQuick(log).RunAsync().OrTimeout();

        Assert.Equal(7, result);
        Assert.True(log.Ended("Slow"), $"The run returned before every step had stopped: {log}");
        log.AssertBefore("end Quick", "end Slow");
    }

    [Fact]
    public async Task Cancelling_a_dataflow_run_ends_it_with_OperationCanceledException_and_starts_nothing_more()
    {
        var log = new EventLog();
        var workflow = new CancellableDataflow(log);
        using var cts = new CancellationTokenSource();

        var run = workflow.RunAsync(cts.Token).AsTask();
        await workflow.Started.Task.OrTimeout();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        Assert.Contains("cancelled Waiting", log.Events);
        await Task.Delay(Limits.Quiet);
        Assert.False(log.Started("Next"));
    }

    [Fact]
    public async Task Retry_and_ContinueOnError_work_under_dataflow_scheduling()
    {
        var attempts = new AttemptLog();

        var result = await new ResilientDataflow(attempts).RunAsync().OrTimeout();

        Assert.Equal("2 + IOException", result);
        Assert.Equal(new[] { 1, 2 }, attempts.AttemptsOf(nameof(ResilientDataflow.Flaky)));
    }

    [Fact]
    public async Task Pausing_a_dataflow_run_holds_steps_that_become_ready_until_resumed()
    {
        var log = new EventLog();
        var workflow = new PausableDataflow(log);
        var control = new FlowControl();

        var run = workflow.RunAsync(control).AsTask();
        await workflow.FirstStarted.Task.OrTimeout();
        control.Pause();
        workflow.ReleaseFirst.SetResult();

        await Task.Delay(Limits.Quiet);
        Assert.Contains("end First", log.Events);
        Assert.False(log.Started("Second"));
        Assert.False(run.IsCompleted);

        control.Resume();
        Assert.Equal(2, await run.OrTimeout());
        Assert.True(log.Started("Second"));
    }
}

[Workflow(Scheduling = Scheduling.Dataflow)]
public partial class Diamond(EventLog log)
{
    [Step]
    public async Task<int> A(int seed)
    {
        log.Start(nameof(A));
        await Task.Delay(50);
        log.End(nameof(A));
        return seed + 1;
    }

    [Step]
    public async Task<int> B(int seed)
    {
        log.Start(nameof(B));
        await Task.Delay(300);
        log.End(nameof(B));
        return seed + 2;
    }

    [Step]
    public async Task<int> C(int a)
    {
        log.Start(nameof(C));
        await Task.Delay(250);
        log.End(nameof(C));
        return a * 10;
    }

    [Step]
    public async Task<int> D(int b)
    {
        log.Start(nameof(D));
        await Task.Delay(50);
        log.End(nameof(D));
        return b * 100;
    }

    [Step]
    public int Join(int c, int d)
    {
        log.Start(nameof(Join));
        return c + d;
    }
}

[Workflow(Scheduling = Scheduling.Dataflow)]
public partial class OrderedWithoutData(EventLog log)
{
    [Step]
    public async Task Migrate()
    {
        log.Start(nameof(Migrate));
        await Task.Delay(100);
        log.End(nameof(Migrate));
    }

    [Step, After(nameof(Migrate))]
    public async Task Seed()
    {
        log.Start(nameof(Seed));
        await Task.Delay(10);
        log.End(nameof(Seed));
    }

    [Step]
    public async Task Warm()
    {
        log.Start(nameof(Warm));
        await Task.Delay(10);
        log.End(nameof(Warm));
    }

    [Step, After(nameof(Seed)), After(nameof(Warm))]
    public string Report()
    {
        log.Start(nameof(Report));
        return "done";
    }
}

[Workflow(Scheduling = Scheduling.Dataflow)]
public partial class FailingBranch(EventLog log)
{
    public Exception? Thrown { get; private set; }

    [Step]
    public async Task<int> Broken()
    {
        await Task.Delay(50);
        Thrown = new InvalidDataException("branch failed");
        throw Thrown;
    }

    [Step]
    public async Task<int> Long(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            log.Add("cancelled " + nameof(Long));
            await Task.Delay(100, CancellationToken.None);
            log.Add("stopped " + nameof(Long));
            throw;
        }

        return 1;
    }

    [Step]
    public int AfterLong(int @long)
    {
        log.Start(nameof(AfterLong));
        return @long;
    }

    [Step]
    public int Join(int broken, int afterLong)
    {
        log.Start(nameof(Join));
        return broken + afterLong;
    }
}

[Workflow(Scheduling = Scheduling.Dataflow)]
public partial class LastDeclaredIsQuick(EventLog log)
{
    [Step]
    public async Task<string> Slow()
    {
        await Task.Delay(300);
        log.End(nameof(Slow));
        return "slow";
    }

    [Step]
    public int Quick()
    {
        log.End(nameof(Quick));
        return 7;
    }
}

[Workflow(Scheduling = Scheduling.Dataflow)]
public partial class CancellableDataflow(EventLog log)
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Step]
    public async Task<int> Waiting(CancellationToken ct)
    {
        Started.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            log.Add("cancelled " + nameof(Waiting));
            throw;
        }

        return 1;
    }

    [Step]
    public int Next(int waiting)
    {
        log.Start(nameof(Next));
        return waiting;
    }
}

[Workflow(Scheduling = Scheduling.Dataflow)]
public partial class ResilientDataflow(AttemptLog attempts)
{
    [Step, Retry(3)]
    public async Task<int> Flaky(StepContext context)
    {
        attempts.Record(context);
        await Task.Delay(5);
        return context.Attempt < 2 ? throw new IOException("flaky") : context.Attempt;
    }

    [Step(ContinueOnError = true)]
    public async Task<string> Broken()
    {
        await Task.Delay(5);
        throw new IOException("broken");
    }

    [Step]
    public string Combine(int flaky, Outcome<string> broken) => $"{flaky} + {broken.Exception?.GetType().Name}";
}

[Workflow(Scheduling = Scheduling.Dataflow)]
public partial class PausableDataflow(EventLog log)
{
    public TaskCompletionSource FirstStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource ReleaseFirst { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Step]
    public async Task<int> First()
    {
        log.Start(nameof(First));
        FirstStarted.SetResult();
        await ReleaseFirst.Task;
        log.End(nameof(First));
        return 1;
    }

    [Step]
    public int Second(int first)
    {
        log.Start(nameof(Second));
        return first + 1;
    }
}
