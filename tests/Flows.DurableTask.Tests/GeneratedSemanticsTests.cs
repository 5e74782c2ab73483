using Flows.DurableTask.Tests.Workflows;

namespace Flows.DurableTask.Tests;

/// <summary>
/// The semantics of generated durable workflows (<c>[Workflow(Durable = true)]</c>, Workflows/SemanticsWorkflows.cs) on the
/// test host: each test runs a generated <c>Durable</c> class and checks what its activities did from inside them (a
/// <see cref="RunProbe"/> per run, keyed by the run id the workflow takes as an input) and what the client sees.
/// </summary>
[Collection(DurableCollection.Name)]
public sealed class GeneratedSemanticsTests(DurableHostFixture host)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_foreach_of_degree_4_never_runs_more_than_4_items_at_once_and_gives_results_in_source_order()
    {
        var runId = NewRunId();
        var items = Enumerable.Range(0, 20).ToArray();
        using var limit = new CancellationTokenSource(Limit);

        var squares = await BoundedForEachWorkflow.Durable.RunAsync(host.Client, items, runId, limit.Token);

        Assert.Equal(items.Select(i => i * i), squares);
        var probe = ProbeOf(runId);
        Assert.Equal(4, probe.MaxRunning);
        Assert.Equal(items, probe.Started.Select(e => e.Item).Order());
        Assert.Equal(0, probe.Running);
    }

    [Fact]
    public async Task A_fail_fast_group_fails_the_run_with_the_first_failure_and_schedules_nothing_after_it()
    {
        var runId = NewRunId();
        using var limit = new CancellationTokenSource(Limit);

        var failure = await Assert.ThrowsAsync<DurableWorkflowException>(() => FailFastGroupWorkflow.Durable.RunAsync(host.Client, runId, limit.Token));

        // Quick fails at once, LateAsync 700 ms later: the run fails with Quick's failure.
        Assert.Equal(nameof(FailFastGroupWorkflow.Quick), failure.StepName);
        Assert.Equal(typeof(ArgumentException).FullName, failure.ErrorType);
        Assert.Equal("quick check failed", failure.ErrorMessage);

        // Every member ran (an activity cannot be cancelled) and the run waited for them; the next stage never started.
        var probe = ProbeOf(runId);
        Assert.Equal(
            new[] { nameof(FailFastGroupWorkflow.LateAsync), nameof(FailFastGroupWorkflow.Quick), nameof(FailFastGroupWorkflow.SlowAsync) },
            probe.Started.Select(e => e.Step).Order());
        Assert.Equal(0, probe.Running);
        await Task.Delay(500);
        Assert.Equal(0, probe.StartsOf(nameof(FailFastGroupWorkflow.After)));
    }

    [Fact]
    public async Task A_wait_all_group_reports_every_failure()
    {
        var runId = NewRunId();
        using var limit = new CancellationTokenSource(Limit);

        var failure = await Assert.ThrowsAsync<DurableWorkflowException>(() => WaitAllGroupWorkflow.Durable.RunAsync(host.Client, runId, limit.Token));

        // The first failing member in member order, and every failure in the message.
        Assert.Equal(nameof(WaitAllGroupWorkflow.FirstBadAsync), failure.StepName);
        Assert.Equal(typeof(AggregateException).FullName, failure.ErrorType);
        Assert.Contains($"Step 'FirstBadAsync' failed: {typeof(InvalidOperationException).FullName}: first member broke", failure.ErrorMessage);
        Assert.Contains($"Step 'SecondBad' failed: {typeof(FormatException).FullName}: third member broke", failure.ErrorMessage);
        Assert.DoesNotContain("GoodAsync", failure.ErrorMessage);

        var probe = ProbeOf(runId);
        Assert.Equal(1, probe.StartsOf(nameof(WaitAllGroupWorkflow.GoodAsync)));
        Assert.Equal(0, probe.StartsOf(nameof(WaitAllGroupWorkflow.After)));
    }

    [Fact]
    public async Task Continue_on_error_delivers_outcomes_of_a_group_and_of_a_foreach_to_the_consumer()
    {
        var items = Enumerable.Range(1, 9).ToArray();
        using var limit = new CancellationTokenSource(Limit);

        var report = await ContinueOnErrorWorkflow.Durable.RunAsync(host.Client, items, limit.Token);

        // Described by the consumer step, in its activity: failures are DurableStepExceptions with the original type.
        var expected = new[]
        {
            "ok|7",
            $"failed|{nameof(DurableStepException)}|Missing|{typeof(KeyNotFoundException).FullName}|no entry for the key",
        }.Concat(items.Select(i => i % 3 == 0
            ? $"failed|{nameof(DurableStepException)}|Check|{typeof(InvalidOperationException).FullName}|item {i} is a multiple of three"
            : $"ok|{i * 10}"));
        Assert.Equal(expected, report);
    }

    [Fact]
    public async Task Retry_3_on_a_step_that_always_fails_makes_exactly_3_attempts()
    {
        var runId = NewRunId();
        using var limit = new CancellationTokenSource(Limit);

        var failure = await Assert.ThrowsAsync<DurableWorkflowException>(() => RetryExhaustedWorkflow.Durable.RunAsync(host.Client, runId, limit.Token));

        Assert.Equal(nameof(RetryExhaustedWorkflow.Unreliable), failure.StepName);
        Assert.Equal(typeof(InvalidOperationException).FullName, failure.ErrorType);
        Assert.Equal("attempt 3 failed", failure.ErrorMessage);
        Assert.Equal(new[] { 1, 2, 3 }, ProbeOf(runId).Started.Select(e => e.Attempt));
    }

    [Fact]
    public async Task Retry_3_on_a_step_that_fails_twice_gives_the_third_attempts_value()
    {
        var runId = NewRunId();
        using var limit = new CancellationTokenSource(Limit);

        var value = await RetryRecoversWorkflow.Durable.RunAsync(host.Client, runId, limit.Token);

        Assert.Equal(42, value);
        var attempts = ProbeOf(runId).Started;
        Assert.Equal(new[] { 1, 2, 3 }, attempts.Select(e => e.Attempt));

        // DelayMilliseconds = 100: a durable timer between attempts (a lower bound only, with the timers' slack).
        Assert.All(attempts.Zip(attempts.Skip(1)), pair => Assert.True(
            pair.Second.StartedAt - pair.First.StartedAt >= TimeSpan.FromMilliseconds(100) - DurableHostFixture.TimerSlack,
            $"attempt {pair.Second.Attempt} started {(pair.Second.StartedAt - pair.First.StartedAt).TotalMilliseconds} ms after attempt {pair.First.Attempt}"));
    }

    [Fact]
    public async Task A_step_past_its_timeout_fails_the_run_with_StepTimeoutException()
    {
        var runId = NewRunId();
        using var limit = new CancellationTokenSource(Limit);

        var failure = await Assert.ThrowsAsync<DurableWorkflowException>(() => StepTimeoutWorkflow.Durable.RunAsync(host.Client, runId, limit.Token));

        Assert.Equal(nameof(StepTimeoutWorkflow.SlowAsync), failure.StepName);
        Assert.EndsWith(nameof(StepTimeoutException), failure.ErrorType);
        Assert.Equal(typeof(StepTimeoutException).FullName, failure.ErrorType);
        Assert.Equal("Step 'SlowAsync' timed out after 200 ms.", failure.ErrorMessage);
        var probe = ProbeOf(runId);
        Assert.Equal(1, probe.StartsOf(nameof(StepTimeoutWorkflow.SlowAsync)));
        Assert.Equal(0, probe.StartsOf(nameof(StepTimeoutWorkflow.After)));
    }

    [Fact]
    public async Task A_suspended_run_starts_no_item_until_it_is_resumed()
    {
        var runId = NewRunId();
        var items = Enumerable.Range(0, 12).ToArray();
        using var limit = new CancellationTokenSource(Limit);
        var probe = ProbeOf(runId);

        var instanceId = await SuspendableWorkflow.Durable.ScheduleAsync(host.Client, items, runId, cancellationToken: limit.Token);
        await EventuallyAsync(() => probe.Started.Count >= 2, "two items started", limit.Token);
        await host.Client.SuspendInstanceAsync(instanceId, "test", limit.Token);
        await EventuallyStatusAsync(instanceId, OrchestrationRuntimeStatus.Suspended, limit.Token);

        // An item already scheduled when the suspension arrived may still run: let it finish, then watch for a second.
        await Task.Delay(600, limit.Token);
        var startedWhileSuspended = probe.Started.Count;
        await Task.Delay(1000, limit.Token);
        Assert.Equal(startedWhileSuspended, probe.Started.Count);
        Assert.True(startedWhileSuspended < items.Length, $"{startedWhileSuspended} items started before the suspension took effect");
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await host.Client.GetInstanceAsync(instanceId, limit.Token))!.RuntimeStatus);

        await host.Client.ResumeInstanceAsync(instanceId, "test", limit.Token);
        var results = await SuspendableWorkflow.Durable.WaitForResultAsync(host.Client, instanceId, limit.Token);

        Assert.Equal(items.Select(i => i + 1000), results);
        Assert.Equal(items, probe.Started.Select(e => e.Item));
        Assert.Equal(1, probe.MaxRunning);
    }

    [Fact]
    public async Task A_workflow_timeout_fails_the_run_with_TimeoutException()
    {
        var runId = NewRunId();
        using var limit = new CancellationTokenSource(Limit);

        var failure = await Assert.ThrowsAsync<DurableWorkflowException>(() => WorkflowTimeoutWorkflow.Durable.RunAsync(host.Client, runId, limit.Token));

        Assert.Null(failure.StepName);
        Assert.Equal(typeof(TimeoutException).FullName, failure.ErrorType);
        Assert.Equal("Workflow 'WorkflowTimeoutWorkflow' timed out after 300 ms.", failure.ErrorMessage);
        var probe = ProbeOf(runId);
        Assert.Equal(1, probe.StartsOf(nameof(WorkflowTimeoutWorkflow.SlowAsync)));
        await EventuallyAsync(() => probe.Running == 0, "the slow step ended", limit.Token);
        await Task.Delay(300, limit.Token);
        Assert.Equal(0, probe.StartsOf(nameof(WorkflowTimeoutWorkflow.After)));
    }

    [Fact]
    public async Task A_workflow_timeout_during_a_foreach_starts_no_more_items()
    {
        var runId = NewRunId();
        var items = Enumerable.Range(0, 15).ToArray();
        using var limit = new CancellationTokenSource(Limit);

        var failure = await Assert.ThrowsAsync<DurableWorkflowException>(() => ForEachPastDeadlineWorkflow.Durable.RunAsync(host.Client, items, runId, limit.Token));

        Assert.Equal("Workflow 'ForEachPastDeadlineWorkflow' timed out after 500 ms.", failure.ErrorMessage);

        // Degree 1 and 200 ms an item: a few items fit in 500 ms, and none starts after the run has failed.
        var probe = ProbeOf(runId);
        var started = probe.Started.Count;
        Assert.InRange(started, 1, items.Length - 1);
        await Task.Delay(1000, limit.Token);
        Assert.Equal(started, probe.Started.Count);
    }

    [Fact]
    public async Task A_group_timeout_fails_the_run_with_TimeoutException()
    {
        var runId = NewRunId();
        using var limit = new CancellationTokenSource(Limit);

        var failure = await Assert.ThrowsAsync<DurableWorkflowException>(() => GroupTimeoutWorkflow.Durable.RunAsync(host.Client, runId, limit.Token));

        Assert.Null(failure.StepName);
        Assert.Equal(typeof(TimeoutException).FullName, failure.ErrorType);
        Assert.Equal("Group 'slowpair' timed out after 300 ms.", failure.ErrorMessage);
        var probe = ProbeOf(runId);
        Assert.Equal(1, probe.StartsOf(nameof(GroupTimeoutWorkflow.LeftAsync)));
        Assert.Equal(1, probe.StartsOf(nameof(GroupTimeoutWorkflow.RightAsync)));
        await EventuallyAsync(() => probe.Running == 0, "the members ended", limit.Token);
        await Task.Delay(300, limit.Token);
        Assert.Equal(0, probe.StartsOf(nameof(GroupTimeoutWorkflow.After)));
    }

    [Fact]
    public async Task Under_dataflow_scheduling_a_step_starts_when_what_it_consumes_is_done_not_when_a_slow_branch_is()
    {
        var runId = NewRunId();
        using var limit = new CancellationTokenSource(Limit);

        var joined = await DataflowDiamondWorkflow.Durable.RunAsync(host.Client, runId, limit.Token);

        Assert.Equal(((1 + 10) * 2) + (1 + 100), joined);
        var probe = ProbeOf(runId);
        var started = probe.Started.ToDictionary(e => e.Step, e => e.StartedAt);
        var slowEnd = probe.EndOf(nameof(DataflowDiamondWorkflow.SlowAsync));
        Assert.True(started[nameof(DataflowDiamondWorkflow.AfterFast)] < slowEnd, "AfterFast waited for SlowAsync, which it does not consume");
        Assert.True(started[nameof(DataflowDiamondWorkflow.Join)] >= slowEnd, "Join started before SlowAsync, which it consumes, ended");
    }

    [Fact]
    public async Task Cancelling_RunAsync_terminates_the_instance()
    {
        var runId = NewRunId();
        var items = Enumerable.Range(0, 20).ToArray();
        using var limit = new CancellationTokenSource(Limit);
        using var cancellation = new CancellationTokenSource();
        var probe = ProbeOf(runId);

        var run = CancellableWorkflow.Durable.RunAsync(host.Client, items, runId, cancellation.Token);
        await EventuallyAsync(() => probe.Started.Count >= 1, "the first item started", limit.Token);
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var instanceId = await FindInstanceAsync(CancellableWorkflow.Durable.OrchestrationName, runId, limit.Token);
        await EventuallyStatusAsync(instanceId, OrchestrationRuntimeStatus.Terminated, limit.Token);

        // No item starts once the run is terminated (the one running finishes: an activity cannot be cancelled).
        await Task.Delay(600, limit.Token);
        var started = probe.Started.Count;
        await Task.Delay(1000, limit.Token);
        Assert.Equal(started, probe.Started.Count);
        Assert.True(started < items.Length, $"{started} items started");
    }

    [Fact]
    public async Task Hooks_run_around_each_step_in_its_activity()
    {
        var runId = NewRunId();
        using var limit = new CancellationTokenSource(Limit);

        var sum = await HookedWorkflow.Durable.RunAsync(host.Client, runId, limit.Token);

        Assert.Equal(12, sum);

        // One log per activity call (each creates its own workflow instance): the hooks before and after the body.
        var logs = ProbeOf(runId).Logs;
        var prepare = logs.Single(log => log[0].Contains("PrepareAsync", StringComparison.Ordinal));
        Assert.Equal(3, prepare.Length);
        Assert.Equal("starting HookedWorkflow.PrepareAsync item -1 of -1 attempt 1", prepare[0]);
        Assert.Equal("body PrepareAsync item -1 attempt 1", prepare[1]);
        Assert.StartsWith("completed PrepareAsync item -1 attempt 1 in ", prepare[2]);
        var elapsedMs = int.Parse(prepare[2].Split(' ')[^2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(elapsedMs >= 50, $"OnStepCompleted was given {elapsedMs} ms for a step of 100 ms");

        var items = logs.Where(log => log[0].Contains("Doubled", StringComparison.Ordinal)).OrderBy(log => log[0], StringComparer.Ordinal).ToArray();
        Assert.Equal(
            Enumerable.Range(0, 3).Select(i => new[]
            {
                $"starting HookedWorkflow.Doubled item {i} of 3 attempt 1",
                $"body Doubled item {i} attempt 1",
                $"completed Doubled item {i} attempt 1",
            }),
            items.Select(log => log.Select(WithoutElapsed).ToArray()));

        var flaky = logs.Where(log => log[0].Contains("Flaky", StringComparison.Ordinal)).OrderBy(log => log[0], StringComparer.Ordinal).ToArray();
        Assert.Equal(
            new[]
            {
                new[] { "starting HookedWorkflow.Flaky item -1 of -1 attempt 1", "body Flaky item -1 attempt 1", "failed Flaky item -1 attempt 1: first attempt fails" },
                new[] { "starting HookedWorkflow.Flaky item -1 of -1 attempt 2", "body Flaky item -1 attempt 2", "completed Flaky item -1 attempt 2" },
            },
            flaky.Select(log => log.Select(WithoutElapsed).ToArray()));
        Assert.Equal(6, logs.Count);
    }

    private static string NewRunId() => Guid.NewGuid().ToString("N");

    private static RunProbe ProbeOf(string runId) => SemanticsProbe.Instance.For(runId);

    private static string WithoutElapsed(string line)
    {
        var at = line.IndexOf(" in ", StringComparison.Ordinal);
        return line.StartsWith("completed ", StringComparison.Ordinal) && at > 0 ? line[..at] : line;
    }

    private static async Task EventuallyAsync(Func<bool> condition, string what, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            Assert.False(cancellationToken.IsCancellationRequested, $"Timed out waiting until {what}.");
            await Task.Delay(20, CancellationToken.None);
        }
    }

    private async Task EventuallyStatusAsync(string instanceId, OrchestrationRuntimeStatus status, CancellationToken cancellationToken)
    {
        while (true)
        {
            var instance = await host.Client.GetInstanceAsync(instanceId, cancellationToken);
            if (instance?.RuntimeStatus == status)
            {
                return;
            }

            Assert.False(cancellationToken.IsCancellationRequested, $"Instance '{instanceId}' is {instance?.RuntimeStatus}, not {status}.");
            await Task.Delay(20, CancellationToken.None);
        }
    }

    // RunAsync picks the instance id itself: find the instance by its orchestration name and its input (the run id).
    private async Task<string> FindInstanceAsync(string orchestrationName, string runId, CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery { FetchInputsAndOutputs = true };
        await foreach (var instance in host.Client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (instance.Name == orchestrationName && instance.SerializedInput?.Contains(runId, StringComparison.Ordinal) == true)
            {
                return instance.InstanceId;
            }
        }

        throw new InvalidOperationException($"No instance of '{orchestrationName}' has run id '{runId}'.");
    }
}
