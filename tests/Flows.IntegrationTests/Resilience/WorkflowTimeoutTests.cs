namespace Flows.IntegrationTests.ResilienceSteps;

[Collection(TimingCollection.Name)]
public sealed class WorkflowTimeoutTests
{
    public WorkflowTimeoutTests() => Limits.EnsureThreadPoolThreads();

    [Fact]
    public async Task A_run_past_the_workflows_timeout_fails_with_TimeoutException_and_its_step_observed_cancellation()
    {
        var log = new EventLog();
        var stopwatch = Stopwatch.StartNew();

        var exception = await Assert.ThrowsAnyAsync<TimeoutException>(() => new SlowWorkflow(log).RunAsync().OrTimeout());

        Assert.IsNotType<StepTimeoutException>(exception);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(240), $"Timed out after {stopwatch.Elapsed}, before the 250 ms limit.");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"Timed out after {stopwatch.Elapsed}.");
        Assert.Equal(new[] { "start First", "end First", "start Hang", "cancelled Hang" }, log.Events);
        await Task.Delay(Limits.Quiet);
        Assert.False(log.Started("After"));
    }

    [Fact]
    public async Task The_timeout_covers_the_whole_run_not_each_step()
    {
        var log = new EventLog();

        // Three 250 ms stages: each within the 400 ms limit, together past it: the second is cancelled.
        await Assert.ThrowsAnyAsync<TimeoutException>(() => new ThreeSlowStages(log).RunAsync().OrTimeout());

        Assert.True(log.Ended("One"));
        Assert.True(log.Started("Two"));
        Assert.False(log.Ended("Two"));
        Assert.False(log.Started("Three"));
    }

    [Fact]
    public async Task The_timeout_cancels_the_members_of_a_running_group()
    {
        var log = new EventLog();

        await Assert.ThrowsAnyAsync<TimeoutException>(() => new SlowGroupWorkflow(log).RunAsync().OrTimeout());

        Assert.Contains("cancelled A", log.Events);
        Assert.Contains("stopped A", log.Events);
        Assert.Contains("cancelled B", log.Events);
        Assert.Contains("stopped B", log.Events);
    }

    [Fact]
    public async Task The_timeout_stops_a_foreach()
    {
        var log = new EventLog();

        await Assert.ThrowsAnyAsync<TimeoutException>(() => new SlowForEachWorkflow(log).RunAsync(Enumerable.Range(0, 20).ToArray()).OrTimeout());

        await Task.Delay(Limits.Quiet);
        var started = log.Events.Count(entry => entry.StartsWith("start", StringComparison.Ordinal));
        Assert.InRange(started, 1, 6);
    }

    [Fact]
    public async Task A_run_that_finishes_within_the_timeout_returns_its_result()
    {
        var result = await new QuickTimedWorkflow().RunAsync(4).OrTimeout();

        Assert.Equal(4 * 2 * 3, result);
    }

    [Fact]
    public async Task Cancelling_the_run_before_the_timeout_is_an_OperationCanceledException_not_a_TimeoutException()
    {
        var log = new EventLog();
        var workflow = new SlowWorkflow(log, hangMilliseconds: 10_000);
        using var cts = new CancellationTokenSource();

        var run = workflow.RunAsync(cts.Token).AsTask();
        await workflow.HangStarted.Task.OrTimeout();
        cts.Cancel();

        var exception = await Record.ExceptionAsync(() => run.OrTimeout());
        Assert.IsAssignableFrom<OperationCanceledException>(exception);
        Assert.Contains("cancelled Hang", log.Events);
    }

    [Fact]
    public async Task An_already_cancelled_token_is_an_OperationCanceledException_and_nothing_runs()
    {
        var log = new EventLog();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new SlowWorkflow(log).RunAsync(cts.Token).OrTimeout());

        Assert.Empty(log.Events);
    }

    [Fact]
    public async Task The_timeout_ends_a_paused_run_with_TimeoutException()
    {
        var log = new EventLog();
        var control = new FlowControl();
        control.Pause();
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<TimeoutException>(() => new ThreeSlowStages(log).RunAsync(control).OrTimeout());

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"The paused run took {stopwatch.Elapsed} to time out.");
        Assert.Empty(log.Events);
    }
}

[Workflow(TimeoutMilliseconds = 250)]
public partial class SlowWorkflow(EventLog log, int hangMilliseconds = Timeout.Infinite)
{
    public TaskCompletionSource HangStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Step]
    public async Task First(CancellationToken ct)
    {
        log.Start(nameof(First));
        await Task.Delay(10, ct);
        log.End(nameof(First));
    }

    [Step]
    public async Task<int> Hang(CancellationToken ct)
    {
        log.Start(nameof(Hang));
        HangStarted.TrySetResult();
        try
        {
            await Task.Delay(hangMilliseconds, ct);
        }
        catch (OperationCanceledException)
        {
            log.Add("cancelled " + nameof(Hang));
            throw;
        }

        return 1;
    }

    [Step]
    public void After(int hang) => log.Start(nameof(After));
}

[Workflow(TimeoutMilliseconds = 400)]
public partial class ThreeSlowStages(EventLog log)
{
    [Step]
    public Task One(CancellationToken ct) => Stage(nameof(One), ct);

    [Step]
    public Task Two(CancellationToken ct) => Stage(nameof(Two), ct);

    [Step]
    public Task Three(CancellationToken ct) => Stage(nameof(Three), ct);

    private async Task Stage(string name, CancellationToken ct)
    {
        log.Start(name);
        await Task.Delay(250, ct);
        log.End(name);
    }
}

[Workflow(TimeoutMilliseconds = 150)]
public partial class SlowGroupWorkflow(EventLog log)
{
    [Parallel("g")]
    public Task<int> A(CancellationToken ct) => Members.WaitForCancellation(log, nameof(A), ct);

    [Parallel("g")]
    public Task<int> B(CancellationToken ct) => Members.WaitForCancellation(log, nameof(B), ct);
}

[Workflow(TimeoutMilliseconds = 150)]
public partial class SlowForEachWorkflow(EventLog log)
{
    [ParallelForEach("items", MaxDegreeOfParallelism = 2)]
    public async Task Process(int item, CancellationToken ct)
    {
        log.Start(item.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Task.Delay(100, ct);
    }
}

[Workflow(TimeoutMilliseconds = 5_000)]
public partial class QuickTimedWorkflow
{
    [Step]
    public async Task<int> Doubled(int value, CancellationToken ct)
    {
        await Task.Delay(10, ct);
        return value * 2;
    }

    [Step]
    public int Triple(int doubled) => doubled * 3;
}
