using System.IO;

namespace Flows.IntegrationTests.ResilienceSteps;

public sealed class FirstSuccessTests
{
    public FirstSuccessTests() => Limits.EnsureThreadPoolThreads();

    [Fact]
    public async Task The_fastest_success_wins_and_the_slower_siblings_are_cancelled_and_stopped_before_the_run_returns()
    {
        var log = new EventLog();
        var stopwatch = Stopwatch.StartNew();

        var result = await new FastestMirror(log).RunAsync("file").OrTimeout();
        var eventsWhenReturned = log.Events;

        Assert.Equal("file from Near", result);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"The run took {stopwatch.Elapsed}; the losers wait 10 s unless cancelled.");
        Assert.Contains("cancelled Far", eventsWhenReturned);
        Assert.Contains("stopped Far", eventsWhenReturned);
        Assert.Contains("cancelled Farther", eventsWhenReturned);
        Assert.Contains("stopped Farther", eventsWhenReturned);
        Assert.DoesNotContain("cancelled Near", eventsWhenReturned);
    }

    [Fact]
    public async Task A_failure_does_not_decide_the_group_a_later_success_wins()
    {
        var log = new EventLog();

        var result = await new FailingThenSucceedingMirrors(log).RunAsync().OrTimeout();

        Assert.Equal(2, result);
        log.AssertBefore("failed Quick", "end Slow");
    }

    [Fact]
    public async Task The_winner_finishing_while_a_loser_waits_to_retry_ends_the_group_promptly_and_the_loser_stops()
    {
        var attempts = new AttemptLog();
        var log = new EventLog();
        var stopwatch = Stopwatch.StartNew();

        var result = await new WinnerBeatsRetryingLoser(attempts, log).RunAsync().OrTimeout();

        Assert.Equal("winner", result);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"The run took {stopwatch.Elapsed}; the loser's retry delay is 10 s.");
        Assert.Equal(new[] { 1 }, attempts.AttemptsOf(nameof(WinnerBeatsRetryingLoser.Loser)));
        await Task.Delay(Limits.Quiet);
        Assert.Equal(1, attempts.CountOf(nameof(WinnerBeatsRetryingLoser.Loser)));
    }

    [Fact]
    public async Task When_every_member_fails_the_run_fails_with_an_AggregateException_of_every_failure()
    {
        var log = new EventLog();
        var workflow = new EveryMirrorFails(log);

        var exception = await Assert.ThrowsAsync<AggregateException>(() => workflow.RunAsync().OrTimeout());

        var failures = exception.Flatten().InnerExceptions;
        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, failure => failure is IOException { Message: "first" });
        Assert.Contains(failures, failure => failure is InvalidDataException { Message: "second" });
        Assert.Contains(failures, failure => failure is FormatException { Message: "third" });
        Assert.False(log.Started("After"));
    }

    [Fact]
    public async Task A_FirstSuccess_group_as_the_last_stage_is_the_runs_result()
    {
        var result = await new FirstSuccessIsLastStage().RunAsync().OrTimeout();

        Assert.Equal(1, result);
    }

    [Fact]
    public async Task Synchronous_members_race_on_the_thread_pool()
    {
        var result = await new SynchronousMirrors().RunAsync().OrTimeout();

        Assert.Equal("quick", result);
    }

    [Fact]
    public async Task Cancelling_the_run_during_a_FirstSuccess_group_ends_it_with_OperationCanceledException()
    {
        var log = new EventLog();
        var workflow = new CancellableMirrors(log);
        using var cts = new CancellationTokenSource();

        var run = workflow.RunAsync(cts.Token).AsTask();
        await workflow.BothStarted.OrTimeout();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        Assert.Contains("cancelled A", log.Events);
        Assert.Contains("cancelled B", log.Events);
        await Task.Delay(Limits.Quiet);
        Assert.False(log.Started("After"));
    }

    [Fact]
    public async Task A_FirstSuccess_group_past_its_timeout_with_no_success_fails_with_TimeoutException()
    {
        var log = new EventLog();

        var exception = await Assert.ThrowsAnyAsync<TimeoutException>(() => new SlowMirrors(log).RunAsync().OrTimeout());

        Assert.IsNotType<StepTimeoutException>(exception);
        Assert.Contains("cancelled A", log.Events);
        Assert.Contains("cancelled B", log.Events);
    }
}

[Workflow]
public partial class FastestMirror(EventLog log)
{
    [Parallel("download", Failure = FailurePolicy.FirstSuccess)]
    public async Task<string> Far(string name, CancellationToken ct) => await Mirror(nameof(Far), name, 10_000, ct);

    [Parallel("download")]
    public async Task<string> Near(string name, CancellationToken ct) => await Mirror(nameof(Near), name, 50, ct);

    [Parallel("download")]
    public async Task<string> Farther(string name, CancellationToken ct) => await Mirror(nameof(Farther), name, 10_000, ct);

    [Step]
    public string Use(string download) => download;

    private async Task<string> Mirror(string mirror, string name, int milliseconds, CancellationToken ct)
    {
        try
        {
            await Task.Delay(milliseconds, ct);
        }
        catch (OperationCanceledException)
        {
            log.Add("cancelled " + mirror);

            // Takes a while to stop: the run must wait for it.
            await Task.Delay(100, CancellationToken.None);
            log.Add("stopped " + mirror);
            throw;
        }

        return $"{name} from {mirror}";
    }
}

[Workflow]
public partial class FailingThenSucceedingMirrors(EventLog log)
{
    [Parallel("g", Failure = FailurePolicy.FirstSuccess)]
    public async Task<int> Quick()
    {
        await Task.Delay(10);
        log.Add("failed " + nameof(Quick));
        throw new IOException("quick failed");
    }

    [Parallel("g")]
    public async Task<int> Slow()
    {
        await Task.Delay(100);
        log.End(nameof(Slow));
        return 2;
    }

    [Step]
    public int Use(int g) => g;
}

[Workflow]
public partial class WinnerBeatsRetryingLoser(AttemptLog attempts, EventLog log)
{
    [Parallel("race", Failure = FailurePolicy.FirstSuccess), Retry(5, DelayMilliseconds = 10_000)]
    public async Task<string> Loser(StepContext context, CancellationToken ct)
    {
        attempts.Record(context);
        await Task.Delay(10, ct);
        throw new IOException("loser failed");
    }

    [Parallel("race")]
    public async Task<string> Winner(CancellationToken ct)
    {
        await Task.Delay(150, ct);
        log.End(nameof(Winner));
        return "winner";
    }

    [Step]
    public string Use(string race) => race;
}

[Workflow]
public partial class EveryMirrorFails(EventLog log)
{
    [Parallel("g", Failure = FailurePolicy.FirstSuccess)]
    public async Task<int> A()
    {
        await Task.Delay(10);
        throw new IOException("first");
    }

    [Parallel("g")]
    public async Task<int> B()
    {
        await Task.Delay(30);
        throw new InvalidDataException("second");
    }

    [Parallel("g")]
    public int C() => throw new FormatException("third");

    [Step]
    public void After(int g) => log.Start(nameof(After));
}

[Workflow]
public partial class FirstSuccessIsLastStage
{
    [Step]
    public int Seed() => 1;

    [Parallel("winner", Failure = FailurePolicy.FirstSuccess)]
    public async Task<int> A(int seed, CancellationToken ct)
    {
        await Task.Delay(10, ct);
        return seed;
    }

    [Parallel("winner")]
    public async Task<int> B(int seed, CancellationToken ct)
    {
        await Task.Delay(5_000, ct);
        return seed + 1;
    }
}

[Workflow]
public partial class SynchronousMirrors
{
    [Parallel("g", Failure = FailurePolicy.FirstSuccess)]
    public string Slow(CancellationToken ct)
    {
        ct.WaitHandle.WaitOne(TimeSpan.FromSeconds(10));
        ct.ThrowIfCancellationRequested();
        return "slow";
    }

    [Parallel("g")]
    public string Quick() => "quick";

    [Step]
    public string Use(string g) => g;
}

[Workflow]
public partial class CancellableMirrors(EventLog log)
{
    private readonly TaskCompletionSource _aStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _bStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task BothStarted => Task.WhenAll(_aStarted.Task, _bStarted.Task);

    [Parallel("g", Failure = FailurePolicy.FirstSuccess)]
    public Task<int> A(CancellationToken ct) => Wait(nameof(A), _aStarted, ct);

    [Parallel("g")]
    public Task<int> B(CancellationToken ct) => Wait(nameof(B), _bStarted, ct);

    [Step]
    public void After(int g) => log.Start(nameof(After));

    private async Task<int> Wait(string name, TaskCompletionSource started, CancellationToken ct)
    {
        started.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            log.Add("cancelled " + name);
            throw;
        }

        return 1;
    }
}

[Workflow]
public partial class SlowMirrors(EventLog log)
{
    [Parallel("g", Failure = FailurePolicy.FirstSuccess, TimeoutMilliseconds = 150)]
    public Task<int> A(CancellationToken ct) => Wait(nameof(A), ct);

    [Parallel("g")]
    public Task<int> B(CancellationToken ct) => Wait(nameof(B), ct);

    [Step]
    public void After(int g) => log.Start(nameof(After));

    private async Task<int> Wait(string name, CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            log.Add("cancelled " + name);
            throw;
        }

        return 1;
    }
}
