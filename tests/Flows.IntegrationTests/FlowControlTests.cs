namespace Flows.IntegrationTests;

public sealed class FlowControlTests
{
    [Fact]
    public async Task A_run_paused_before_it_starts_starts_nothing_until_resumed()
    {
        var log = new EventLog();
        var control = new FlowControl();
        control.Pause();

        var run = new SynchronousSteps(log).RunAsync(control).AsTask();
        await Task.Delay(Limits.Quiet);

        Assert.False(run.IsCompleted);
        Assert.Empty(log.Events);

        control.Resume();
        await run.OrTimeout();
        Assert.Equal(new[] { "Alpha", "Bravo", "Charlie", "Delta" }, log.Events);
    }

    [Fact]
    public async Task Pausing_lets_the_running_stage_finish_and_holds_the_next_until_resumed()
    {
        var log = new EventLog();
        var workflow = new GatedStages(log);
        var control = new FlowControl();

        var run = workflow.RunAsync(control).AsTask();
        await workflow.FirstStarted.Task.OrTimeout();
        control.Pause();
        Assert.True(control.IsPaused);
        workflow.ReleaseFirst.SetResult();

        await workflow.FirstEnded.Task.OrTimeout();
        await Task.Delay(Limits.Quiet);
        Assert.Equal(new[] { "start First", "end First" }, log.Events);
        Assert.False(run.IsCompleted);

        control.Resume();
        Assert.False(control.IsPaused);
        await run.OrTimeout();
        Assert.Equal(new[] { "start First", "end First", "start Second", "start Third" }, log.Events);
    }

    [Fact]
    public async Task Pausing_during_a_group_lets_every_member_finish_and_holds_the_next_stage()
    {
        var log = new EventLog();
        var workflow = new GatedGroup(log);
        var control = new FlowControl();

        var run = workflow.RunAsync(control).AsTask();
        await workflow.BothStarted.OrTimeout();
        control.Pause();
        workflow.Release.SetResult();

        await workflow.BothEnded.Task.OrTimeout();
        await Task.Delay(Limits.Quiet);
        var events = log.Events;
        Assert.Contains("end A", events);
        Assert.Contains("end B", events);
        Assert.DoesNotContain("start After", events);

        control.Resume();
        await run.OrTimeout();
        Assert.Contains("start After", log.Events);
    }

    [Fact]
    public async Task Cancelling_a_paused_run_ends_it_with_OperationCanceledException_and_starts_nothing()
    {
        var log = new EventLog();
        var control = new FlowControl();
        using var cts = new CancellationTokenSource();
        control.Pause();

        var run = new SynchronousSteps(log).RunAsync(control, cts.Token).AsTask();
        await Task.Delay(50);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        control.Resume();
        await Task.Delay(Limits.Quiet);
        Assert.Empty(log.Events);
    }

    [Fact]
    public async Task One_control_pauses_and_resumes_several_runs()
    {
        var firstLog = new EventLog();
        var secondLog = new EventLog();
        var control = new FlowControl();
        control.Pause();

        var first = new SynchronousSteps(firstLog).RunAsync(control).AsTask();
        var second = new GroupFeedsLaterStage().RunAsync(1, control).AsTask();
        await Task.Delay(Limits.Quiet);
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        Assert.Empty(firstLog.Events);

        control.Resume();
        await first.OrTimeout();
        Assert.Equal(1 + 2 + 2, await second.OrTimeout());
        Assert.Equal(4, firstLog.Events.Count);
    }

    [Fact]
    public async Task A_control_that_is_never_paused_does_not_hold_the_run()
    {
        var result = await new GroupFeedsLaterStage().RunAsync(3, new FlowControl()).OrTimeout();

        Assert.Equal(3 + 4 + 6, result);
    }

    [Fact]
    public async Task A_null_control_is_refused_with_ArgumentNullException_and_nothing_runs()
    {
        var log = new EventLog();

        var exception = await Assert.ThrowsAsync<ArgumentNullException>(async () => await new SynchronousSteps(log).RunAsync((FlowControl)null!).OrTimeout());

        Assert.Equal("control", exception.ParamName);
        Assert.Empty(log.Events);
    }

    [Fact]
    public async Task A_null_control_is_refused_by_a_workflow_with_inputs()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await new GroupFeedsLaterStage().RunAsync(1, (FlowControl)null!).OrTimeout());
    }
}

[Workflow]
public partial class GatedStages(EventLog log)
{
    public TaskCompletionSource FirstStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource ReleaseFirst { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource FirstEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Step]
    public async Task First()
    {
        log.Start(nameof(First));
        FirstStarted.SetResult();
        await ReleaseFirst.Task;
        log.End(nameof(First));
        FirstEnded.SetResult();
    }

    [Step]
    public void Second() => log.Start(nameof(Second));

    [Step]
    public void Third() => log.Start(nameof(Third));
}

[Workflow]
public partial class GatedGroup(EventLog log)
{
    private readonly TaskCompletionSource _aStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _bStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task BothStarted => Task.WhenAll(_aStarted.Task, _bStarted.Task);

    private int _ended;

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when both members have logged their end.</summary>
    public TaskCompletionSource BothEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Parallel("g")]
    public async Task A()
    {
        log.Start(nameof(A));
        _aStarted.SetResult();
        await Release.Task;
        End(nameof(A));
    }

    [Parallel("g")]
    public async Task B()
    {
        log.Start(nameof(B));
        _bStarted.SetResult();
        await Release.Task;
        await Task.Delay(20);
        End(nameof(B));
    }

    private void End(string name)
    {
        log.End(name);
        if (Interlocked.Increment(ref _ended) == 2)
        {
            BothEnded.SetResult();
        }
    }

    [Step]
    public void After() => log.Start(nameof(After));
}
