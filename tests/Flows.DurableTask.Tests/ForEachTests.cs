namespace Flows.DurableTask.Tests;

/// <summary>The sliding window of a durable foreach, run as real orchestrations on the in-process test host.</summary>
[Collection(DurableCollection.Name)]
public sealed class ForEachTests(DurableHostFixture host)
{
    [Fact]
    public async Task Degree_4_never_has_more_than_4_activities_running_and_results_are_in_source_order()
    {
        // Items take different times, so they finish out of source order; each is long enough for 4 to overlap.
        var items = Enumerable.Range(0, 16).Select(i => new ItemSpec(DelayMs: 150 + (i * 37 % 5 * 30))).ToArray();

        var (instanceId, report) = await host.RunAsync<ForEachReport>(Scenarios.ForEach, new ForEachScenario(items, Degree: 4));

        Assert.Equal(Enumerable.Range(0, 16).Select(i => i * 10), report.Results!);
        var probe = Probe.For(instanceId);
        Assert.Equal(4, probe.MaxRunning);
        Assert.Equal(16, probe.Started.Count);
        Assert.Equal(Enumerable.Range(0, 16), probe.Started.Select(e => e.Item).Order());
    }

    [Fact]
    public async Task Items_start_in_source_order_and_the_window_refills_as_items_complete()
    {
        // Item 0 is slow: with a window of 2, items 2 and 3 start beside it as soon as the items before them complete,
        // not after item 0 (as a batch of 2 would have it).
        var items = new[] { new ItemSpec(DelayMs: 1500) }.Concat(Enumerable.Repeat(new ItemSpec(DelayMs: 20), 4)).ToArray();

        var (instanceId, report) = await host.RunAsync<ForEachReport>(Scenarios.ForEach, new ForEachScenario(items, Degree: 2));

        Assert.Equal(Enumerable.Range(0, 5).Select(i => i * 10), report.Results!);
        // The orchestration starts items in source order (activities scheduled together may begin in any order).
        Assert.Equal(report.StartTimes.Order(), report.StartTimes);
        var started = Probe.For(instanceId).Started.OrderBy(e => e.Item).ToArray();
        Assert.Equal(Enumerable.Range(0, 5), started.Select(e => e.Item));
        var slowEnd = started[0].EndedAt!.Value;
        Assert.All(started.Skip(2).Take(2), e => Assert.True(e.StartedAt < slowEnd, $"item {e.Item} waited for the slow item 0"));
        Assert.Equal(2, Probe.For(instanceId).MaxRunning);
    }

    [Fact]
    public async Task Unbounded_degree_starts_every_item_at_once()
    {
        var items = Enumerable.Repeat(new ItemSpec(DelayMs: 300), 6).ToArray();

        var (instanceId, report) = await host.RunAsync<ForEachReport>(Scenarios.ForEach, new ForEachScenario(items, Degree: -1));

        Assert.Equal(Enumerable.Range(0, 6).Select(i => i * 10), report.Results!);
        Assert.Single(report.StartTimes.Distinct());
        Assert.InRange(Probe.For(instanceId).MaxRunning, 2, 6);
    }

    [Fact]
    public async Task Without_continue_on_error_the_first_failure_fails_the_step_after_the_items_in_flight_and_nothing_new_starts()
    {
        // Degree 2: items 0 and 1 are slow; item 2 fails at once when it starts; items 4 to 9 must never start.
        var items = Enumerable.Range(0, 10)
            .Select(i => i == 2 ? new ItemSpec(FailWith: "InvalidOperation") : new ItemSpec(DelayMs: i < 2 ? 300 : 400))
            .ToArray();

        var (instanceId, failure) = await host.RunFailingAsync(Scenarios.ForEach, new ForEachScenario(items, Degree: 2));

        Assert.Equal(Scenarios.Work, failure.StepName);
        Assert.Equal(typeof(InvalidOperationException).FullName, failure.ErrorType);
        Assert.Equal(Scenarios.FailureMessage("InvalidOperation", 2, 1), failure.ErrorMessage);
        var probe = Probe.For(instanceId);
        var started = probe.Started.Select(e => e.Item).Order().ToArray();
        Assert.Equal(new[] { 0, 1, 2 }, started.Take(3));
        Assert.True(started.Length <= 4, $"items started after the failure: {string.Join(", ", started)}");

        // The run ended only after the item in flight beside the failure had completed.
        Assert.Equal(started.Length, probe.Finished);
    }

    [Fact]
    public async Task Continue_on_error_gives_an_outcome_per_item_in_source_order()
    {
        var items = Enumerable.Range(0, 6).Select(i => i is 1 or 4 ? new ItemSpec(DelayMs: 10, FailWith: "InvalidOperation") : new ItemSpec(DelayMs: 10)).ToArray();

        var (_, report) = await host.RunAsync<ForEachReport>(
            Scenarios.ForEach, new ForEachScenario(items, Degree: 3, ContinueOnError: true, MinSuccessRate: 0.5));

        var failed = $"failed|{nameof(DurableStepException)}|{Scenarios.Work}|{typeof(InvalidOperationException).FullName}|";
        Assert.Equal(
            new[]
            {
                "ok|0", failed + Scenarios.FailureMessage("InvalidOperation", 1, 1), "ok|20", "ok|30",
                failed + Scenarios.FailureMessage("InvalidOperation", 4, 1), "ok|50",
            },
            report.Outcomes!);
    }

    [Fact]
    public async Task Continue_on_error_below_the_minimum_success_rate_fails_with_every_failure()
    {
        // 7 of 10 succeed: enough for 0.7, not for 0.8.
        var items = Enumerable.Range(0, 10).Select(i => i is 2 or 5 or 9 ? new ItemSpec(FailWith: "InvalidOperation") : new ItemSpec()).ToArray();

        var (_, enough) = await host.RunAsync<ForEachReport>(
            Scenarios.ForEach, new ForEachScenario(items, Degree: 4, ContinueOnError: true, MinSuccessRate: 0.7));
        var (_, failure) = await host.RunFailingAsync(
            Scenarios.ForEach, new ForEachScenario(items, Degree: 4, ContinueOnError: true, MinSuccessRate: 0.8));

        Assert.Equal(3, enough.Outcomes!.Count(o => o.StartsWith("failed", StringComparison.Ordinal)));
        Assert.Equal(Scenarios.Work, failure.StepName);
        Assert.Equal(typeof(AggregateException).FullName, failure.ErrorType);
        Assert.StartsWith($"Step '{Scenarios.Work}': 7 of 10 items succeeded, fewer than the minimum success rate of", failure.ErrorMessage);
        foreach (var item in new[] { 2, 5, 9 })
        {
            Assert.Contains(Scenarios.FailureMessage("InvalidOperation", item, 1), failure.ErrorMessage);
        }
    }

    [Fact]
    public async Task Batches_run_one_after_another_with_a_durable_delay_between_them()
    {
        var items = Enumerable.Repeat(new ItemSpec(DelayMs: 50), 6).ToArray();

        var (instanceId, report) = await host.RunAsync<ForEachReport>(
            Scenarios.ForEach, new ForEachScenario(items, Degree: 4, BatchSize: 2, DelayBetweenBatchesMs: 200));

        Assert.Equal(Enumerable.Range(0, 6).Select(i => i * 10), report.Results!);
        var started = Probe.For(instanceId).Started.OrderBy(e => e.Item).ToArray();
        Assert.True(Probe.For(instanceId).MaxRunning <= 2);
        for (var batch = 1; batch < 3; batch++)
        {
            var previousEnd = started.Skip((batch - 1) * 2).Take(2).Max(e => e.EndedAt!.Value);
            foreach (var item in started.Skip(batch * 2).Take(2))
            {
                Assert.True(item.StartedAt >= previousEnd, $"item {item.Item} started before batch {batch - 1} ended");
            }

            // In orchestration time: the batch started at least the delay after the previous batch started.
            Assert.True(report.StartTimes[batch * 2] - report.StartTimes[(batch - 1) * 2] >= TimeSpan.FromMilliseconds(200) - DurableHostFixture.TimerSlack);
        }
    }

    [Fact]
    public async Task Max_items_per_second_spaces_the_starts_with_durable_timers()
    {
        var items = Enumerable.Repeat(new ItemSpec(), 5).ToArray();

        var (_, report) = await host.RunAsync<ForEachReport>(
            Scenarios.ForEach, new ForEachScenario(items, Degree: 5, MaxItemsPerSecond: 10));

        Assert.Equal(Enumerable.Range(0, 5).Select(i => i * 10), report.Results!);
        // Start i is due i intervals after the first (a start that came late does not push back the ones after it).
        for (var i = 1; i < report.StartTimes.Length; i++)
        {
            var since = report.StartTimes[i] - report.StartTimes[0];
            Assert.True(since >= (i * TimeSpan.FromMilliseconds(100)) - DurableHostFixture.TimerSlack, $"item {i} started {since.TotalMilliseconds} ms after item 0");
        }
    }

    [Fact]
    public async Task Each_item_is_retried_on_its_own()
    {
        // Every item fails on its first attempt; Retry(2) makes each item succeed on its second.
        var items = Enumerable.Repeat(new ItemSpec(FailWith: "InvalidOperation", FailAttempts: 1), 4).ToArray();

        var (instanceId, report) = await host.RunAsync<ForEachReport>(
            Scenarios.ForEach, new ForEachScenario(items, Degree: 2, Policy: new PolicySpec(MaxAttempts: 2, DelayMs: 10, Jitter: true)));

        Assert.Equal(new[] { 0, 10, 20, 30 }, report.Results!);
        var started = Probe.For(instanceId).Started;
        Assert.Equal(8, started.Count);
        Assert.All(started.GroupBy(e => e.Item), g => Assert.Equal(new[] { 1, 2 }, g.Select(e => e.Attempt).Order()));
    }

    [Fact]
    public async Task An_empty_source_gives_no_results()
    {
        var (_, report) = await host.RunAsync<ForEachReport>(Scenarios.ForEach, new ForEachScenario(Array.Empty<ItemSpec>(), Degree: 4));

        Assert.Empty(report.Results!);
    }
}
