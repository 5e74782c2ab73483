namespace Flows.IntegrationTests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class ActivityTests
{
    [Fact]
    public async Task A_run_is_the_parent_of_its_steps_and_a_foreach_step_of_its_items()
    {
        using var recorder = new ActivityRecorder();

        var result = await new TracedOrder().RunAsync().OrTimeout();

        Assert.Equal(63, result);
        var activities = recorder.Of(nameof(TracedOrder));
        var run = Assert.Single(activities, activity => activity.OperationName == nameof(TracedOrder));
        Assert.Equal(default, run.ParentSpanId);
        Assert.Equal("succeeded", run.GetTagItem(FlowsTelemetry.OutcomeTag));
        Assert.Equal(ActivityStatusCode.Unset, run.Status);

        var steps = activities.Where(activity => activity.ParentSpanId == run.SpanId).ToArray();
        Assert.Equal(
            new[] { "CheckCredit", "CheckStock", "Complete", "Load", "Reserve" },
            steps.Select(step => (string)step.GetTagItem(FlowsTelemetry.StepTag)!).Order(StringComparer.Ordinal));
        foreach (var step in steps)
        {
            Assert.Equal(run.TraceId, step.TraceId);
            Assert.Equal($"TracedOrder.{step.GetTagItem(FlowsTelemetry.StepTag)}", step.OperationName);
            Assert.Equal(1, step.GetTagItem(FlowsTelemetry.AttemptTag));
            Assert.Equal("succeeded", step.GetTagItem(FlowsTelemetry.OutcomeTag));
            Assert.Equal(step.GetTagItem(FlowsTelemetry.StepTag) is "CheckStock" or "CheckCredit" ? "checks" : null, step.GetTagItem(FlowsTelemetry.GroupTag));
        }

        var reserve = steps.Single(step => step.OperationName == "TracedOrder.Reserve");
        var items = activities.Where(activity => activity.ParentSpanId == reserve.SpanId).ToArray();
        Assert.Equal(new[] { 0, 1, 2 }, items.Select(item => (int)item.GetTagItem(FlowsTelemetry.ItemIndexTag)!).Order());
        Assert.All(items, item =>
        {
            Assert.Equal("TracedOrder.Reserve item", item.OperationName);
            Assert.Equal("Reserve", item.GetTagItem(FlowsTelemetry.StepTag));
            Assert.Equal("succeeded", item.GetTagItem(FlowsTelemetry.OutcomeTag));
            Assert.Equal(run.TraceId, item.TraceId);
        });

        // Nothing else: one run, five steps, three items.
        Assert.Equal(1 + 5 + 3, activities.Length);
    }

    [Fact]
    public async Task Inside_a_step_or_an_item_the_current_activity_is_its_own()
    {
        using var recorder = new ActivityRecorder();
        var workflow = new TracedOrder();

        await workflow.RunAsync().OrTimeout();

        var activities = recorder.Of(nameof(TracedOrder));
        foreach (var (step, current) in workflow.Seen)
        {
            Assert.NotNull(current);
            if (step.StartsWith("Reserve[", StringComparison.Ordinal))
            {
                Assert.Equal("TracedOrder.Reserve item", current.OperationName);
                Assert.Equal(step, $"Reserve[{current.GetTagItem(FlowsTelemetry.ItemIndexTag)}]");
            }
            else
            {
                Assert.Equal($"TracedOrder.{step}", current.OperationName);
            }

            Assert.Contains(current, activities);
        }

        Assert.Equal(6, workflow.Seen.Count);
    }

    [Fact]
    public async Task A_run_started_inside_an_activity_becomes_its_child()
    {
        using var recorder = new ActivityRecorder();
        using var outerSource = new ActivitySource("Flows.IntegrationTests.Outer");
        using var outerListener = new ActivityListener
        {
            ShouldListenTo = source => source == outerSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(outerListener);

        using (var outer = outerSource.StartActivity("request"))
        {
            await new WhoIsCurrent().RunAsync().OrTimeout();

            var run = Assert.Single(recorder.Of(nameof(WhoIsCurrent)), activity => activity.OperationName == nameof(WhoIsCurrent));
            Assert.Equal(outer!.SpanId, run.ParentSpanId);

            // The run does not leave its own activity current for the caller.
            Assert.Same(outer, Activity.Current);
        }
    }

    [Fact]
    public async Task A_failure_sets_error_status_on_the_step_and_the_run()
    {
        using var recorder = new ActivityRecorder();

        await Assert.ThrowsAsync<StepFailedException>(async () => await new BrokenOrder().RunAsync().OrTimeout());

        var activities = recorder.Of(nameof(BrokenOrder));
        var run = Assert.Single(activities, activity => activity.OperationName == nameof(BrokenOrder));
        var charge = Assert.Single(activities, activity => activity.OperationName == "BrokenOrder.Charge");
        foreach (var failed in new[] { run, charge })
        {
            Assert.Equal(ActivityStatusCode.Error, failed.Status);
            Assert.Equal("StepFailedException: The step broke.", failed.StatusDescription);
            Assert.Equal("failed", failed.GetTagItem(FlowsTelemetry.OutcomeTag));
            Assert.Equal(typeof(StepFailedException).FullName, failed.GetTagItem(FlowsTelemetry.ErrorTypeTag));
            var exception = Assert.Single(failed.Events, e => e.Name == "exception");
            Assert.Equal("The step broke.", exception.Tags.Single(tag => tag.Key == "exception.message").Value);
        }

        var load = Assert.Single(activities, activity => activity.OperationName == "BrokenOrder.Load");
        Assert.Equal(ActivityStatusCode.Unset, load.Status);
        Assert.DoesNotContain(activities, activity => activity.OperationName == "BrokenOrder.Ship");
    }

    [Fact]
    public async Task Retries_show_as_the_attempt_tag_and_one_event_per_retry()
    {
        using var recorder = new ActivityRecorder();

        await new FlakyOrder().RunAsync().OrTimeout();

        var activities = recorder.Of(nameof(FlakyOrder));
        var charge = Assert.Single(activities, activity => activity.OperationName == "FlakyOrder.Charge");
        Assert.Equal(3, charge.GetTagItem(FlowsTelemetry.AttemptTag));
        Assert.Equal("succeeded", charge.GetTagItem(FlowsTelemetry.OutcomeTag));
        var retries = charge.Events.Where(e => e.Name == "flows.retry").ToArray();
        Assert.Equal(new object?[] { 1, 2 }, retries.Select(e => e.Tags.Single(tag => tag.Key == FlowsTelemetry.AttemptTag).Value));
        Assert.All(retries, e => Assert.Equal(typeof(TimeoutException).FullName, e.Tags.Single(tag => tag.Key == "exception.type").Value));

        var items = activities.Where(activity => activity.OperationName == "FlakyOrder.Pack item")
            .OrderBy(item => (int)item.GetTagItem(FlowsTelemetry.ItemIndexTag)!)
            .ToArray();
        Assert.Equal(new object?[] { 1, 2, 1 }, items.Select(item => item.GetTagItem(FlowsTelemetry.AttemptTag)));
        Assert.Single(items[1].Events, e => e.Name == "flows.retry");
        Assert.All(items, item => Assert.Equal("succeeded", item.GetTagItem(FlowsTelemetry.OutcomeTag)));
    }

    // QuietFanOut's run written by hand the way Flows writes it: an instance method with the same parameters, locals,
    // listener check and calls, so that its state machine is the same size in Debug, where state machines are classes.
    private sealed class HandWrittenFanOut
    {
        public ValueTask RunAsync(CancellationToken cancellationToken = default) => RunCoreAsync(null, cancellationToken);

        [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
        private async ValueTask RunCoreAsync(FlowControl? control, CancellationToken cancellationToken)
        {
            if (Flows.Internal.RunObserver.IsEnabled)
            {
                await ObservedAsync().ConfigureAwait(false);
                return;
            }

            await Flows.Internal.FlowGate.EnterAsync(control, cancellationToken).ConfigureAwait(false);
            Task first, second, third;
            try
            {
                first = Step();
            }
            catch (Exception exception)
            {
                first = Task.FromException(exception);
            }

            try
            {
                second = Step();
            }
            catch (Exception exception)
            {
                second = Task.FromException(exception);
            }

            try
            {
                third = Step();
            }
            catch (Exception exception)
            {
                third = Task.FromException(exception);
            }

            if (!first.IsCompletedSuccessfully || !second.IsCompletedSuccessfully || !third.IsCompletedSuccessfully)
            {
                var block = Flows.Internal.ParallelBlock.Rent(FailurePolicy.FailFast, 3, null, cancellationToken);
                block.Add(first);
                block.Add(second);
                block.Add(third);
                await block.WhenAll().ConfigureAwait(false);
            }
        }

        private static ValueTask ObservedAsync() => default;

        private Task Step() => Task.CompletedTask;
    }

    [Fact]
    public async Task Without_a_listener_no_activity_is_created_and_a_run_allocates_no_more_than_hand_written_code()
    {
        if (ObserveEverything.IsOn)
        {
            return;
        }

        Assert.False(Flows.Internal.RunObserver.IsEnabled);
        var workflow = new WhoIsCurrent();
        await workflow.RunAsync().OrTimeout();
        Assert.Null(workflow.SeenInStep);

        // The F1 shape completes synchronously. Without a listener a run allocates nothing beyond what the same
        // async method written by hand allocates when compiled the same way: in Release both allocate 0 B (the figure
        // the T1 and F1 benchmarks report); in Debug both box their state machine. Telemetry that allocated anything
        // without a listener (an activity, a tag list, a timestamp box) would show here in either configuration.
        var fanOut = new QuietFanOut();
        var handWrittenFanOut = new HandWrittenFanOut();
        for (var i = 0; i < 1_000; i++)
        {
            Assert.True(fanOut.RunAsync().IsCompletedSuccessfully);
            Assert.True(handWrittenFanOut.RunAsync().IsCompletedSuccessfully);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            _ = fanOut.RunAsync();
        }

        var flows = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            _ = handWrittenFanOut.RunAsync();
        }

        var handWritten = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(flows <= handWritten, $"1,000 runs allocated {flows} B; the same fan-out written by hand, {handWritten} B.");

        // Once something listens, the same workflow is observed.
        using var recorder = new ActivityRecorder();
        Assert.True(Flows.Internal.RunObserver.IsEnabled);
        await workflow.RunAsync().OrTimeout();
        Assert.Equal("WhoIsCurrent.Look", workflow.SeenInStep?.OperationName);
    }
}
