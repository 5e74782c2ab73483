namespace Flows.DurableTask.Tests;

/// <summary>The four failure policies of a durable parallel group, run as real orchestrations on the in-process test host.</summary>
[Collection(DurableCollection.Name)]
public sealed class GroupTests(DurableHostFixture host)
{
    private static readonly ItemSpec Slow = new(DelayMs: 400);

    [Fact]
    public async Task A_group_whose_members_succeed_runs_them_at_once_and_then_the_next_stage()
    {
        var (instanceId, _) = await host.RunAsync<GroupReport>(Scenarios.Group, new GroupScenario(FailurePolicy.FailFast, new[] { Slow, Slow, Slow }));

        var probe = Probe.For(instanceId);
        Assert.InRange(probe.MaxRunning, 2, 3);
        Assert.Equal(new[] { 0, 1, 2, Scenarios.AfterGroupItem }, probe.Started.Select(e => e.Item).Order());
    }

    [Fact]
    public async Task Fail_fast_fails_the_run_with_the_first_failure_and_schedules_nothing_after_it()
    {
        // B fails first (A fails later, C succeeds late): the run fails with B's failure, once every member has stopped.
        var members = new[] { new ItemSpec(DelayMs: 250, FailWith: "Timeout"), new ItemSpec(FailWith: "InvalidOperation"), Slow };

        var (instanceId, failure) = await host.RunFailingAsync(Scenarios.Group, new GroupScenario(FailurePolicy.FailFast, members));

        Assert.Equal("B", failure.StepName);
        Assert.Equal(typeof(InvalidOperationException).FullName, failure.ErrorType);
        Assert.Equal(Scenarios.FailureMessage("InvalidOperation", 1, 1), failure.ErrorMessage);
        Assert.Equal(instanceId, failure.InstanceId);
        Assert.Equal($"Workflow run '{instanceId}' failed in step 'B': {failure.ErrorType}: {failure.ErrorMessage}", failure.Message);
        var probe = Probe.For(instanceId);
        Assert.DoesNotContain(probe.Started, e => e.Item == Scenarios.AfterGroupItem);
        Assert.Equal(3, probe.Finished);
    }

    [Fact]
    public async Task Wait_all_reports_every_failure_in_member_order()
    {
        var members = new[] { new ItemSpec(DelayMs: 200, FailWith: "InvalidOperation"), Slow, new ItemSpec(FailWith: "Timeout") };

        var (instanceId, report) = await host.RunAsync<GroupReport>(Scenarios.Group, new GroupScenario(FailurePolicy.WaitAll, members, CatchFailure: true));
        var (_, failure) = await host.RunFailingAsync(Scenarios.Group, new GroupScenario(FailurePolicy.WaitAll, members));

        Assert.Equal(
            new[]
            {
                $"{nameof(DurableStepException)}|A|{typeof(InvalidOperationException).FullName}|{Scenarios.FailureMessage("InvalidOperation", 0, 1)}",
                $"{nameof(DurableStepException)}|C|{typeof(TimeoutException).FullName}|{Scenarios.FailureMessage("Timeout", 2, 1)}",
            },
            report.Failures!.Skip(1));
        Assert.Equal(3, Probe.For(instanceId).Finished);
        Assert.DoesNotContain(Probe.For(instanceId).Started, e => e.Item == Scenarios.AfterGroupItem);

        // At the client: the first failing step, and every failure in the message.
        Assert.Equal("A", failure.StepName);
        Assert.Equal(typeof(AggregateException).FullName, failure.ErrorType);
        Assert.Contains(Scenarios.FailureMessage("InvalidOperation", 0, 1), failure.ErrorMessage);
        Assert.Contains(Scenarios.FailureMessage("Timeout", 2, 1), failure.ErrorMessage);
    }

    [Fact]
    public async Task Continue_on_error_gives_outcomes_and_goes_on()
    {
        var members = new[] { new ItemSpec(DelayMs: 50), new ItemSpec(FailWith: "InvalidOperation"), new ItemSpec(DelayMs: 100) };

        var (instanceId, report) = await host.RunAsync<GroupReport>(
            Scenarios.Group, new GroupScenario(FailurePolicy.ContinueOnError, members, MinSuccessCount: 2));

        Assert.Equal(
            new[]
            {
                "ok|0",
                $"failed|{nameof(DurableStepException)}|B|{typeof(InvalidOperationException).FullName}|{Scenarios.FailureMessage("InvalidOperation", 1, 1)}",
                "ok|20",
            },
            report.Outcomes!);
        Assert.Contains(Probe.For(instanceId).Started, e => e.Item == Scenarios.AfterGroupItem);
    }

    [Fact]
    public async Task Continue_on_error_below_the_minimum_success_count_fails()
    {
        var members = new[] { new ItemSpec(), new ItemSpec(FailWith: "InvalidOperation"), new ItemSpec() };

        var (instanceId, report) = await host.RunAsync<GroupReport>(
            Scenarios.Group, new GroupScenario(FailurePolicy.ContinueOnError, members, MinSuccessCount: 3, CatchFailure: true));

        Assert.StartsWith("Group 'checks': 2 of 3 members succeeded, fewer than the minimum of 3.", report.Failures![0]);
        Assert.Single(report.Failures.Skip(1));
        Assert.DoesNotContain(Probe.For(instanceId).Started, e => e.Item == Scenarios.AfterGroupItem);
    }

    [Fact]
    public async Task First_success_returns_the_first_value_without_waiting_for_the_others()
    {
        // A fails at once, B succeeds soon, C succeeds much later: the group's value is B's, and the run goes on without C.
        var members = new[] { new ItemSpec(FailWith: "InvalidOperation"), new ItemSpec(DelayMs: 100), new ItemSpec(DelayMs: 2000) };

        var (instanceId, report) = await host.RunAsync<GroupReport>(Scenarios.Group, new GroupScenario(FailurePolicy.FirstSuccess, members));

        Assert.Equal(10, report.Value);
        var probe = Probe.For(instanceId);
        var after = Assert.Single(probe.Started, e => e.Item == Scenarios.AfterGroupItem);
        var slowest = probe.Started.Single(e => e.Item == 2);
        Assert.True(after.StartedAt < slowest.EndedAt, $"the next stage started at {after.StartedAt:O}, after member C ended ({slowest.EndedAt:O})");

        // Durable Task ends an instance only when none of its tasks is outstanding: the run ended after member C.
        Assert.True(await host.CompletedAtAsync(instanceId) >= slowest.EndedAt);
    }

    [Fact]
    public async Task First_success_with_every_member_failing_reports_every_failure()
    {
        var members = new[] { new ItemSpec(DelayMs: 100, FailWith: "InvalidOperation"), new ItemSpec(FailWith: "Timeout") };

        var (_, report) = await host.RunAsync<GroupReport>(
            Scenarios.Group, new GroupScenario(FailurePolicy.FirstSuccess, members, CatchFailure: true));

        Assert.StartsWith("No member of group 'checks' succeeded.", report.Failures![0]);
        Assert.Equal(new[] { "A", "B" }, report.Failures.Skip(1).Select(f => f.Split('|')[1]));
    }
}
