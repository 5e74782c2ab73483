namespace Flows.DurableTask.Tests;

/// <summary>Retries and per-attempt timeouts of a durable step, run as real orchestrations on the in-process test host.</summary>
[Collection(DurableCollection.Name)]
public sealed class ResilienceTests(DurableHostFixture host)
{
    private static readonly ItemSpec AlwaysFails = new(FailWith: "InvalidOperation");

    [Fact]
    public async Task Retry_3_makes_exactly_3_attempts_then_fails_with_the_last_failure()
    {
        var (instanceId, failure) = await host.RunFailingAsync(
            Scenarios.Step, new StepScenario(AlwaysFails, new PolicySpec(MaxAttempts: 3, DelayMs: 20)));

        Assert.Equal(new[] { 1, 2, 3 }, Probe.For(instanceId).Started.Select(e => e.Attempt));
        Assert.Equal(Scenarios.Step, failure.StepName);
        Assert.Equal(typeof(InvalidOperationException).FullName, failure.ErrorType);
        Assert.Equal(Scenarios.FailureMessage("InvalidOperation", 0, 3), failure.ErrorMessage);
    }

    [Fact]
    public async Task A_retried_step_succeeds_on_a_later_attempt_which_knows_its_number()
    {
        var (instanceId, report) = await host.RunAsync<StepReport>(
            Scenarios.Step, new StepScenario(new ItemSpec(FailWith: "InvalidOperation", FailAttempts: 2), new PolicySpec(MaxAttempts: 3)));

        Assert.Equal(0, report.Result);
        Assert.Equal(new[] { 1, 2, 3 }, Probe.For(instanceId).Started.Select(e => e.Attempt));
    }

    [Fact]
    public async Task Delays_grow_with_the_backoff_and_are_waited_on_durable_timers()
    {
        var (instanceId, report) = await host.RunAsync<StepReport>(
            Scenarios.Step,
            new StepScenario(AlwaysFails, new PolicySpec(MaxAttempts: 4, DelayMs: 50, Backoff: Backoff.Exponential), CatchFailure: true));

        // The report comes from the last replay, which saw every attempt again, at the time it was first scheduled.
        var live = report.Attempts;
        Assert.Equal(new[] { 1, 2, 3, 4 }, live.Select(a => a.Attempt));
        Assert.Equal(new[] { 0.0, 50, 100, 200 }, live.Select(a => a.DelayBeforeMs));
        for (var i = 1; i < live.Length; i++)
        {
            Assert.True(live[i].At - live[i - 1].At >= TimeSpan.FromMilliseconds(live[i].DelayBeforeMs) - DurableHostFixture.TimerSlack, $"attempt {i + 1} came early");
        }

        Assert.Equal(4, Probe.For(instanceId).Started.Count);
    }

    [Fact]
    public async Task Jittered_delays_are_computed_again_identically_on_every_replay()
    {
        var (instanceId, report) = await host.RunAsync<StepReport>(
            Scenarios.Step,
            new StepScenario(AlwaysFails, new PolicySpec(MaxAttempts: 4, DelayMs: 100, Backoff: Backoff.Linear, Jitter: true), CatchFailure: true));

        // Each attempt after the first was scheduled live once and replayed in every later episode.
        var (replays, mismatches) = JitterLedger.ReplaysOf(instanceId);
        Assert.True(replays >= 3, $"only {replays} replays");
        Assert.Equal(0, mismatches);

        // The delays are the in-process ones scaled by a factor from 0.5 to 1, which the test computes the same way.
        var policy = new PolicySpec(MaxAttempts: 4, DelayMs: 100, Backoff: Backoff.Linear, Jitter: true).ToPolicy(Scenarios.Step);
        var delays = report.Attempts.Skip(1).Select(a => a.DelayBeforeMs).ToArray();
        Assert.Equal(Enumerable.Range(1, 3).Select(n => policy.DelayAfter(n, instanceId).TotalMilliseconds), delays);
        Assert.All(delays.Select((d, i) => (d, Base: 100.0 * (i + 1))), x => Assert.InRange(x.d, x.Base * 0.5, x.Base));

        // And the timers held them: each attempt came at least its delay after the one before.
        var attempts = report.Attempts;
        for (var i = 1; i < attempts.Length; i++)
        {
            Assert.True(attempts[i].At - attempts[i - 1].At >= TimeSpan.FromMilliseconds(attempts[i].DelayBeforeMs) - DurableHostFixture.TimerSlack);
        }
    }

    [Fact]
    public async Task Only_the_listed_failure_types_are_retried_including_derived_types()
    {
        var (notListed, _) = await host.RunFailingAsync(
            Scenarios.Step, new StepScenario(AlwaysFails, new PolicySpec(MaxAttempts: 3, RetryOn: new[] { "Timeout" })));
        var (listed, _) = await host.RunFailingAsync(
            Scenarios.Step, new StepScenario(AlwaysFails, new PolicySpec(MaxAttempts: 3, RetryOn: new[] { "Timeout", "InvalidOperation" })));
        var (derived, failure) = await host.RunFailingAsync(
            Scenarios.Step, new StepScenario(new ItemSpec(FailWith: "Inventory"), new PolicySpec(MaxAttempts: 2, RetryOn: new[] { "InvalidOperation" })));

        Assert.Single(Probe.For(notListed).Started);
        Assert.Equal(3, Probe.For(listed).Started.Count);
        Assert.Equal(2, Probe.For(derived).Started.Count);
        Assert.Equal(typeof(InventoryException).FullName, failure.ErrorType);
    }

    [Fact]
    public async Task A_cancellation_is_not_retried_by_default()
    {
        var (instanceId, failure) = await host.RunFailingAsync(
            Scenarios.Step, new StepScenario(new ItemSpec(FailWith: "Canceled"), new PolicySpec(MaxAttempts: 3)));

        Assert.Single(Probe.For(instanceId).Started);
        Assert.Equal(typeof(OperationCanceledException).FullName, failure.ErrorType);
    }

    [Fact]
    public async Task A_slow_attempt_fails_with_StepTimeoutException_when_its_durable_timer_wins()
    {
        var (instanceId, report) = await host.RunAsync<StepReport>(
            Scenarios.Step, new StepScenario(new ItemSpec(DelayMs: 1500), new PolicySpec(TimeoutMs: 200), CatchFailure: true));

        Assert.Equal(typeof(StepTimeoutException).FullName, report.FailureType);
        Assert.Equal(Scenarios.Step, report.FailureStep);
        Assert.Equal("Step 'Step' timed out after 200 ms.", report.FailureMessage);

        // The timer won: the orchestration went on at the timeout, while the activity (which cannot be cancelled) ran on.
        var late = Assert.Single(Probe.For(instanceId).Started);
        Assert.True(report.EndedAt - report.Attempts[0].At >= TimeSpan.FromMilliseconds(200) - DurableHostFixture.TimerSlack);
        Assert.True(report.EndedAt < late.EndedAt, $"the timeout came at {report.EndedAt:O}, after the attempt ended ({late.EndedAt:O})");

        // Durable Task ends an instance only when none of its tasks is outstanding: the run ended after the late activity.
        Assert.True(await host.CompletedAtAsync(instanceId) >= late.EndedAt);
    }

    [Fact]
    public async Task A_timed_out_run_reaches_the_client_as_the_step_timing_out()
    {
        var (_, failure) = await host.RunFailingAsync(
            Scenarios.Step, new StepScenario(new ItemSpec(DelayMs: 1500), new PolicySpec(TimeoutMs: 200)));

        Assert.Equal(Scenarios.Step, failure.StepName);
        Assert.Equal(typeof(StepTimeoutException).FullName, failure.ErrorType);
        Assert.Equal("Step 'Step' timed out after 200 ms.", failure.ErrorMessage);
    }

    [Fact]
    public async Task A_fast_attempt_cancels_its_timer_so_the_run_does_not_wait_for_the_timeout()
    {
        // A timer left running would hold the instance open for a minute: Durable Task ends an instance only when none
        // of its tasks is outstanding.
        var instanceId = await host.ScheduleAsync(Scenarios.Step, new StepScenario(new ItemSpec(DelayMs: 10), new PolicySpec(TimeoutMs: 60_000)));

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var report = await DurableRun.WaitForResultAsync<StepReport>(host.Client, instanceId, limit.Token);

        Assert.Equal(0, report.Result);
    }

    [Fact]
    public async Task A_timed_out_attempt_is_retried_and_a_fast_one_wins_over_its_timer()
    {
        var (instanceId, report) = await host.RunAsync<StepReport>(
            Scenarios.Step,
            new StepScenario(new ItemSpec(DelayMs: 10, SlowAttempts: 1, SlowDelayMs: 1500), new PolicySpec(MaxAttempts: 2, TimeoutMs: 300)));

        Assert.Equal(0, report.Result);
        Assert.Equal(new[] { 1, 2 }, Probe.For(instanceId).Started.Select(e => e.Attempt));
    }

    [Fact]
    public async Task A_terminated_run_ends_its_client_wait_as_a_cancellation()
    {
        var instanceId = await host.ScheduleAsync(Scenarios.Step, new StepScenario(new ItemSpec(DelayMs: 2000), new PolicySpec()));
        await host.Client.WaitForInstanceStartAsync(instanceId);
        await host.Client.TerminateInstanceAsync(instanceId);

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DurableRun.WaitForResultAsync<StepReport>(host.Client, instanceId, limit.Token));
        Assert.False(limit.IsCancellationRequested);
    }
}
