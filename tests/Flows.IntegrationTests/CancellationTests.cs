namespace Flows.IntegrationTests;

public sealed class CancellationTests
{
    [Fact]
    public async Task Cancelling_during_the_first_stage_ends_the_run_with_OperationCanceledException_and_no_later_stage_starts()
    {
        var log = new EventLog();
        var workflow = new CancellableStages(log);
        using var cts = new CancellationTokenSource();

        var run = workflow.RunAsync(cts.Token).AsTask();
        await workflow.FirstStarted.Task.OrTimeout();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        await Task.Delay(Limits.Quiet);
        Assert.Equal(new[] { "start First", "cancelled First" }, log.Events);
    }

    [Fact]
    public async Task A_step_that_ignores_its_token_finishes_but_no_step_starts_after_the_cancellation()
    {
        var log = new EventLog();
        var workflow = new IgnoresToken(log);
        using var cts = new CancellationTokenSource();

        var run = workflow.RunAsync(cts.Token).AsTask();
        await workflow.FirstStarted.Task.OrTimeout();
        cts.Cancel();
        workflow.ReleaseFirst.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        await Task.Delay(Limits.Quiet);
        Assert.Equal(new[] { "start First", "end First" }, log.Events);
    }

    [Fact]
    public async Task An_already_cancelled_token_runs_nothing()
    {
        var log = new EventLog();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await new CancellableStages(log).RunAsync(cts.Token).OrTimeout());

        await Task.Delay(Limits.Quiet);
        Assert.Empty(log.Events);
    }

    [Fact]
    public async Task An_already_cancelled_token_runs_nothing_in_a_workflow_that_starts_with_a_group()
    {
        var log = new EventLog();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await new CancellableGroup(log).RunAsync(cts.Token).OrTimeout());

        await Task.Delay(Limits.Quiet);
        Assert.Empty(log.Events);
    }

    [Fact]
    public async Task An_already_cancelled_token_runs_no_synchronous_step()
    {
        var log = new EventLog();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await new SynchronousSteps(log).RunAsync(cts.Token).OrTimeout());

        Assert.Empty(log.Events);
    }

    [Fact]
    public async Task Cancelling_during_a_fail_fast_group_cancels_every_member_and_throws_OperationCanceledException()
    {
        var log = new EventLog();
        var workflow = new CancellableGroup(log);
        using var cts = new CancellationTokenSource();

        var run = workflow.RunAsync(cts.Token).AsTask();
        await Task.WhenAll(workflow.AStarted.Task, workflow.BStarted.Task).OrTimeout();
        cts.Cancel();

        var exception = await Record.ExceptionAsync(() => run.OrTimeout());
        Assert.IsAssignableFrom<OperationCanceledException>(exception);
        var events = log.Events;
        Assert.Contains("cancelled A", events);
        Assert.Contains("cancelled B", events);
        Assert.DoesNotContain("start After", events);
    }

    [Fact]
    public async Task Cancelling_during_a_wait_all_group_throws_OperationCanceledException_not_AggregateException()
    {
        var log = new EventLog();
        var workflow = new CancellableWaitAllGroup(log);
        using var cts = new CancellationTokenSource();

        var run = workflow.RunAsync(cts.Token).AsTask();
        await Task.WhenAll(workflow.AStarted.Task, workflow.BStarted.Task).OrTimeout();
        cts.Cancel();

        var exception = await Record.ExceptionAsync(() => run.OrTimeout());
        Assert.IsAssignableFrom<OperationCanceledException>(exception);
        Assert.Contains("cancelled A", log.Events);
        Assert.Contains("cancelled B", log.Events);
        Assert.DoesNotContain("start After", log.Events);
    }

    [Fact]
    public async Task Cancelling_during_a_group_waits_for_members_that_ignore_the_token_before_ending_the_run()
    {
        var log = new EventLog();
        var workflow = new GroupWithStubbornMember(log);
        using var cts = new CancellationTokenSource();

        var run = workflow.RunAsync(cts.Token).AsTask();
        await workflow.Started.Task.OrTimeout();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        var events = log.Events;
        Assert.Contains("end Stubborn", events);
        Assert.DoesNotContain("start After", events);
    }

    [Fact]
    public async Task A_single_steps_token_is_cancelled_with_the_callers_token()
    {
        var workflow = new TokenRecorder();
        using var cts = new CancellationTokenSource();

        await workflow.RunAsync(cts.Token).OrTimeout();

        Assert.True(workflow.Seen.CanBeCanceled);
        Assert.False(workflow.Seen.IsCancellationRequested);
        cts.Cancel();
        Assert.True(workflow.Seen.IsCancellationRequested);
    }

    [Fact]
    public async Task Without_a_token_the_run_completes()
    {
        var log = new EventLog();
        var workflow = new IgnoresToken(log);
        workflow.ReleaseFirst.SetResult();

        await workflow.RunAsync().OrTimeout();

        Assert.Equal(new[] { "start First", "end First", "start Second" }, log.Events);
    }
}

[Workflow]
public partial class CancellableStages(EventLog log)
{
    public TaskCompletionSource FirstStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Step]
    public async Task First(CancellationToken ct)
    {
        log.Start(nameof(First));
        FirstStarted.SetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            log.Add("cancelled " + nameof(First));
            throw;
        }
    }

    [Step]
    public void Second() => log.Start(nameof(Second));
}

[Workflow]
public partial class IgnoresToken(EventLog log)
{
    public TaskCompletionSource FirstStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource ReleaseFirst { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Step]
    public async Task First()
    {
        log.Start(nameof(First));
        FirstStarted.TrySetResult();
        await ReleaseFirst.Task;
        log.End(nameof(First));
    }

    [Step]
    public void Second() => log.Start(nameof(Second));
}

[Workflow]
public partial class CancellableGroup(EventLog log)
{
    public TaskCompletionSource AStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource BStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Parallel("g")]
    public Task A(CancellationToken ct) => Wait(nameof(A), AStarted, ct);

    [Parallel("g")]
    public Task B(CancellationToken ct) => Wait(nameof(B), BStarted, ct);

    [Step]
    public void After() => log.Start(nameof(After));

    private async Task Wait(string name, TaskCompletionSource started, CancellationToken ct)
    {
        log.Start(name);
        started.SetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            log.Add("cancelled " + name);
            throw;
        }
    }
}

[Workflow]
public partial class CancellableWaitAllGroup(EventLog log)
{
    public TaskCompletionSource AStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource BStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Parallel("g", Failure = FailurePolicy.WaitAll)]
    public Task A(CancellationToken ct) => Wait(nameof(A), AStarted, ct);

    [Parallel("g", Failure = FailurePolicy.WaitAll)]
    public Task B(CancellationToken ct) => Wait(nameof(B), BStarted, ct);

    [Step]
    public void After() => log.Start(nameof(After));

    private async Task Wait(string name, TaskCompletionSource started, CancellationToken ct)
    {
        log.Start(name);
        started.SetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            log.Add("cancelled " + name);
            throw;
        }
    }
}

[Workflow]
public partial class GroupWithStubbornMember(EventLog log)
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Parallel("g")]
    public async Task Cancellable(CancellationToken ct)
    {
        Started.SetResult();
        await Task.Delay(Timeout.Infinite, ct);
    }

    [Parallel("g")]
    public async Task Stubborn()
    {
        log.Start(nameof(Stubborn));
        await Task.Delay(150);
        log.End(nameof(Stubborn));
    }

    [Step]
    public void After() => log.Start(nameof(After));
}

[Workflow]
public partial class TokenRecorder
{
    public CancellationToken Seen { get; private set; }

    [Step]
    public void Record(CancellationToken ct) => Seen = ct;
}
