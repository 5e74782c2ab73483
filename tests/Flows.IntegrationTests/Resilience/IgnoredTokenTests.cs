namespace Flows.IntegrationTests.ResilienceSteps;

/// <summary>
/// Timeouts hold for steps that ignore their token (DESIGN.md, Semantics): once the late step, member or item has
/// stopped, the attempt, group or run fails with <see cref="StepTimeoutException"/> or <see cref="TimeoutException"/>,
/// even though it returned a value. Every late body here sleeps well past its limit, so the outcome does not depend on
/// how busy the machine is; they spin a core, so they run alone.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class IgnoredTokenTests
{
    public IgnoredTokenTests() => Limits.EnsureThreadPoolThreads();

    [Fact]
    public async Task A_step_that_ignores_its_token_and_returns_a_value_after_its_limit_fails_with_StepTimeoutException()
    {
        var exception = await Assert.ThrowsAsync<StepTimeoutException>(() => new LateValue().RunAsync().OrTimeout());

        Assert.Equal(nameof(LateValue.Late), exception.StepName);
        Assert.Null(exception.InnerException);
    }

    [Fact]
    public async Task A_synchronous_step_that_blocks_past_its_limit_fails_with_StepTimeoutException()
    {
        var exception = await Assert.ThrowsAsync<StepTimeoutException>(() => new LateSynchronousValue().RunAsync().OrTimeout());

        Assert.Equal(nameof(LateSynchronousValue.Block), exception.StepName);
    }

    [Fact]
    public async Task With_Retry_every_late_attempt_is_a_timeout_and_retried_until_MaxAttempts()
    {
        var attempts = new AttemptLog();

        var exception = await Assert.ThrowsAsync<StepTimeoutException>(() => new AlwaysLate(attempts).RunAsync().OrTimeout());

        Assert.Equal(nameof(AlwaysLate.Late), exception.StepName);
        Assert.Equal(new[] { 1, 2, 3 }, attempts.AttemptsOf(nameof(AlwaysLate.Late)));
    }

    [Fact]
    public async Task With_Retry_a_late_attempt_is_retried_and_a_later_attempt_in_time_succeeds()
    {
        var attempts = new AttemptLog();

        var result = await new LateOnce(attempts).RunAsync().OrTimeout();

        Assert.Equal(2, result);
        Assert.Equal(new[] { 1, 2 }, attempts.AttemptsOf(nameof(LateOnce.Work)));
    }

    [Fact]
    public async Task A_late_foreach_item_under_ContinueOnError_is_a_failed_Outcome_holding_a_StepTimeoutException()
    {
        var outcomes = await new LateItem().RunAsync(new[] { 1, 2, 3 }).OrTimeout();

        Assert.Equal(3, outcomes.Count);
        Assert.Equal(10, outcomes[0].Value);
        Assert.False(outcomes[1].IsSuccess);
        Assert.Equal(nameof(LateItem.Scale), Assert.IsType<StepTimeoutException>(outcomes[1].Exception).StepName);
        Assert.Equal(30, outcomes[2].Value);
    }

    [Fact]
    public async Task A_late_foreach_item_fails_a_fail_fast_loop_with_StepTimeoutException()
    {
        var exception = await Assert.ThrowsAsync<StepTimeoutException>(() => new LateItemFailFast().RunAsync(new[] { 1, 2, 3 }).OrTimeout());

        Assert.Equal(nameof(LateItemFailFast.Scale), exception.StepName);
    }

    [Theory]
    [InlineData(FailurePolicy.FailFast)]
    [InlineData(FailurePolicy.WaitAll)]
    [InlineData(FailurePolicy.FirstSuccess)]
    public async Task A_group_whose_member_ignores_its_token_and_returns_after_the_groups_timeout_fails_with_TimeoutException(FailurePolicy policy)
    {
        var log = new EventLog();
        Func<Task> run = policy switch
        {
            FailurePolicy.FailFast => () => new LateMemberFailFast(log).RunAsync().OrTimeout(),
            FailurePolicy.WaitAll => () => new LateMemberWaitAll(log).RunAsync().OrTimeout(),
            _ => () => new LateOnlySuccess(log).RunAsync().OrTimeout(),
        };

        var exception = await Assert.ThrowsAnyAsync<TimeoutException>(run);

        Assert.IsNotType<StepTimeoutException>(exception);
        Assert.Contains("'g'", exception.Message);
        Assert.Contains("end Slow", log.Events);
        Assert.False(log.Started("After"));
    }

    [Fact]
    public async Task Under_ContinueOnError_a_member_that_returns_after_the_groups_timeout_gives_a_failed_Outcome()
    {
        var log = new EventLog();

        var (slow, quick) = await new LateMemberTolerant(log).RunAsync().OrTimeout();

        Assert.False(slow.IsSuccess);
        Assert.IsType<TimeoutException>(slow.Exception);
        Assert.Equal(2, quick.Value);
    }

    [Fact]
    public async Task A_FirstSuccess_group_whose_winner_came_in_time_keeps_it_though_a_loser_ignores_its_token()
    {
        var log = new EventLog();

        var result = await new QuickWinnerLateLoser(log).RunAsync().OrTimeout();

        Assert.Equal("quick", result);
        Assert.Contains("end Slow", log.Events);
    }

    [Fact]
    public async Task A_FailFast_groups_first_failure_in_time_is_rethrown_though_a_sibling_returns_after_the_timeout()
    {
        var log = new EventLog();

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => new EarlyFailureLateSibling(log).RunAsync().OrTimeout());

        Assert.Equal("early", exception.Message);
        Assert.Contains("end Slow", log.Events);
    }

    [Fact]
    public async Task A_run_whose_last_step_ignores_its_token_and_returns_after_the_workflows_timeout_fails_with_TimeoutException()
    {
        var exception = await Assert.ThrowsAnyAsync<TimeoutException>(() => new LateLastStep().RunAsync().OrTimeout());

        Assert.IsNotType<StepTimeoutException>(exception);
        Assert.Contains(nameof(LateLastStep), exception.Message);
    }

    [Fact]
    public async Task A_run_whose_middle_step_ignores_its_token_fails_with_TimeoutException_and_starts_no_later_step()
    {
        var log = new EventLog();

        await Assert.ThrowsAnyAsync<TimeoutException>(() => new LateMiddleStep(log).RunAsync().OrTimeout());

        Assert.True(log.Ended("Middle"));
        await Task.Delay(Limits.Quiet);
        Assert.False(log.Started("After"));
    }

    [Fact]
    public async Task A_dataflow_run_whose_step_ignores_its_token_fails_with_the_workflows_TimeoutException()
    {
        var exception = await Assert.ThrowsAnyAsync<TimeoutException>(() => new LateDataflowStep().RunAsync().OrTimeout());

        Assert.Contains(nameof(LateDataflowStep), exception.Message);
    }

    [Fact]
    public async Task When_the_step_timeout_and_the_workflow_timeout_have_both_expired_the_run_fails_with_the_workflows_TimeoutException()
    {
        var exception = await Assert.ThrowsAnyAsync<TimeoutException>(() => new BothTimeoutsExpire().RunAsync().OrTimeout());

        // The run's failure is the workflow's timeout; the step's own timeout is in its chain of causes.
        Assert.IsNotType<StepTimeoutException>(exception);
        Assert.Contains(nameof(BothTimeoutsExpire), exception.Message);
        Assert.Contains(Causes(exception), cause => cause is StepTimeoutException { StepName: nameof(BothTimeoutsExpire.Late) });
    }

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        for (var cause = exception.InnerException; cause is not null; cause = cause.InnerException)
        {
            yield return cause;
        }
    }
}

/// <summary>CPU-bound work that ignores any token: spins until the time has passed.</summary>
internal static class Cpu
{
    public static void SpinFor(int milliseconds)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.ElapsedMilliseconds < milliseconds)
        {
            Thread.SpinWait(100);
        }
    }
}

[Workflow]
public partial class LateValue
{
    [Step, Timeout(25)]
    public async Task<int> Late(CancellationToken ct)
    {
        await Task.Delay(150, CancellationToken.None);
        return 1;
    }
}

[Workflow]
public partial class LateSynchronousValue
{
    [Step, Timeout(25)]
    public int Block(CancellationToken ct)
    {
        Cpu.SpinFor(120);
        return 1;
    }
}

[Workflow]
public partial class AlwaysLate(AttemptLog attempts)
{
    [Step, Retry(3), Timeout(25)]
    public async Task<int> Late(StepContext context, CancellationToken ct)
    {
        attempts.Record(context);
        await Task.Delay(100, CancellationToken.None);
        return context.Attempt;
    }
}

[Workflow]
public partial class LateOnce(AttemptLog attempts)
{
    [Step, Retry(3), Timeout(200)]
    public async Task<int> Work(StepContext context, CancellationToken ct)
    {
        attempts.Record(context);
        if (context.Attempt == 1)
        {
            await Task.Delay(400, CancellationToken.None);
        }

        return context.Attempt;
    }
}

[Workflow]
public partial class LateItem
{
    [ParallelForEach("numbers", MaxDegreeOfParallelism = 3, ContinueOnError = true), Timeout(200)]
    public async Task<int> Scale(int number, CancellationToken ct)
    {
        await Task.Delay(number == 2 ? 400 : 1, number == 2 ? CancellationToken.None : ct);
        return number * 10;
    }
}

[Workflow]
public partial class LateItemFailFast
{
    [ParallelForEach("numbers", MaxDegreeOfParallelism = 3), Timeout(25)]
    public int Scale(int number, CancellationToken ct)
    {
        if (number == 2)
        {
            Cpu.SpinFor(120);
        }

        return number * 10;
    }
}

[Workflow]
public partial class LateMemberFailFast(EventLog log)
{
    [Parallel("g", TimeoutMilliseconds = 30)]
    public async Task<int> Slow(CancellationToken ct)
    {
        await Task.Delay(150, CancellationToken.None);
        log.End(nameof(Slow));
        return 1;
    }

    [Parallel("g")]
    public int Quick() => 2;

    [Step]
    public void After(int slow, int quick) => log.Start(nameof(After));
}

[Workflow]
public partial class LateMemberWaitAll(EventLog log)
{
    [Parallel("g", Failure = FailurePolicy.WaitAll, TimeoutMilliseconds = 30)]
    public int Slow()
    {
        Cpu.SpinFor(120);
        log.End(nameof(Slow));
        return 1;
    }

    [Parallel("g")]
    public int Quick() => 2;

    [Step]
    public void After(int slow, int quick) => log.Start(nameof(After));
}

[Workflow]
public partial class LateOnlySuccess(EventLog log)
{
    [Parallel("g", Failure = FailurePolicy.FirstSuccess, TimeoutMilliseconds = 30)]
    public async Task<string> Slow(CancellationToken ct)
    {
        await Task.Delay(150, CancellationToken.None);
        log.End(nameof(Slow));
        return "slow";
    }

    [Parallel("g")]
    public Task<string> Broken() => Task.FromException<string>(new InvalidOperationException("broken"));

    [Step]
    public void After(string g) => log.Start(nameof(After));
}

[Workflow]
public partial class LateMemberTolerant(EventLog log)
{
    [Parallel("g", Failure = FailurePolicy.ContinueOnError, TimeoutMilliseconds = 30)]
    public async Task<int> Slow(CancellationToken ct)
    {
        await Task.Delay(150, CancellationToken.None);
        log.End(nameof(Slow));
        return 1;
    }

    [Parallel("g")]
    public int Quick() => 2;

    [Step]
    public (Outcome<int> Slow, Outcome<int> Quick) Both(Outcome<int> slow, Outcome<int> quick) => (slow, quick);
}

[Workflow]
public partial class QuickWinnerLateLoser(EventLog log)
{
    [Parallel("g", Failure = FailurePolicy.FirstSuccess, TimeoutMilliseconds = 300)]
    public async Task<string> Slow(CancellationToken ct)
    {
        await Task.Delay(500, CancellationToken.None);
        log.End(nameof(Slow));
        return "slow";
    }

    [Parallel("g")]
    public Task<string> Quick() => Task.FromResult("quick");
}

[Workflow]
public partial class EarlyFailureLateSibling(EventLog log)
{
    [Parallel("g", TimeoutMilliseconds = 150)]
    public async Task<int> Slow(CancellationToken ct)
    {
        await Task.Delay(400, CancellationToken.None);
        log.End(nameof(Slow));
        return 1;
    }

    [Parallel("g")]
    public Task<int> Failing() => Task.FromException<int>(new InvalidOperationException("early"));
}

[Workflow(TimeoutMilliseconds = 50)]
public partial class LateLastStep
{
    [Step]
    public async Task<int> Late(CancellationToken ct)
    {
        await Task.Delay(200, CancellationToken.None);
        return 1;
    }
}

[Workflow(TimeoutMilliseconds = 50)]
public partial class LateMiddleStep(EventLog log)
{
    [Step]
    public int First() => 1;

    [Step]
    public int Middle(int first)
    {
        Cpu.SpinFor(150);
        log.End(nameof(Middle));
        return first + 1;
    }

    [Step]
    public int After(int middle)
    {
        log.Start(nameof(After));
        return middle;
    }
}

[Workflow(Scheduling = Scheduling.Dataflow, TimeoutMilliseconds = 50)]
public partial class LateDataflowStep
{
    [Step]
    public int Quick() => 1;

    [Step]
    public async Task<int> Late(CancellationToken ct)
    {
        await Task.Delay(200, CancellationToken.None);
        return 2;
    }

    [Step]
    public int Sum(int quick, int late) => quick + late;
}

[Workflow(TimeoutMilliseconds = 50)]
public partial class BothTimeoutsExpire
{
    [Step, Timeout(25)]
    public async Task<int> Late(CancellationToken ct)
    {
        await Task.Delay(200, CancellationToken.None);
        return 1;
    }
}
