namespace Flows.IntegrationTests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class MetricTests
{
    [Fact]
    public async Task Every_step_records_its_duration_in_milliseconds_with_its_outcome()
    {
        using var recorder = new MeasurementRecorder();

        await new TracedOrder().RunAsync().OrTimeout();

        var durations = recorder.Of(FlowsTelemetry.StepDurationInstrument, nameof(TracedOrder));
        Assert.Equal(
            new[] { "CheckCredit", "CheckStock", "Complete", "Load", "Reserve" },
            durations.Select(duration => (string)duration.Tags[FlowsTelemetry.StepTag]!).Order(StringComparer.Ordinal));
        Assert.All(durations, duration =>
        {
            Assert.Equal("ms", duration.Unit);
            Assert.InRange(duration.Value, 0, Limits.Hang.TotalMilliseconds);
            Assert.Equal("succeeded", duration.Tags[FlowsTelemetry.OutcomeTag]);
        });
        Assert.Empty(recorder.Of(FlowsTelemetry.StepFailuresInstrument, nameof(TracedOrder)));
        Assert.Empty(recorder.Of(FlowsTelemetry.StepRetriesInstrument, nameof(TracedOrder)));
    }

    [Fact]
    public async Task A_failed_step_counts_one_failure_with_its_error_type()
    {
        using var recorder = new MeasurementRecorder();

        await Assert.ThrowsAsync<StepFailedException>(async () => await new BrokenOrder().RunAsync().OrTimeout());

        var failure = Assert.Single(recorder.Of(FlowsTelemetry.StepFailuresInstrument, nameof(BrokenOrder)));
        Assert.Equal(1, failure.Value);
        Assert.Equal("Charge", failure.Tags[FlowsTelemetry.StepTag]);
        Assert.Equal(typeof(StepFailedException).FullName, failure.Tags[FlowsTelemetry.ErrorTypeTag]);

        var durations = recorder.Of(FlowsTelemetry.StepDurationInstrument, nameof(BrokenOrder));
        Assert.Equal(new[] { "Load:succeeded", "Charge:failed" }, durations.Select(d => $"{d.Tags[FlowsTelemetry.StepTag]}:{d.Tags[FlowsTelemetry.OutcomeTag]}"));
    }

    [Fact]
    public async Task Every_retry_of_a_step_or_an_item_is_counted_and_a_step_that_recovered_is_no_failure()
    {
        using var recorder = new MeasurementRecorder();

        await new FlakyOrder().RunAsync().OrTimeout();

        var retries = recorder.Of(FlowsTelemetry.StepRetriesInstrument, nameof(FlakyOrder));
        Assert.Equal(new[] { "Charge", "Charge", "Pack" }, retries.Select(retry => (string)retry.Tags[FlowsTelemetry.StepTag]!));
        Assert.All(retries, retry => Assert.Equal(1, retry.Value));
        Assert.Equal(typeof(ItemFailedOnceException).FullName, retries[2].Tags[FlowsTelemetry.ErrorTypeTag]);
        Assert.Empty(recorder.Of(FlowsTelemetry.StepFailuresInstrument, nameof(FlakyOrder)));
    }

    [Fact]
    public async Task A_meter_listener_alone_makes_runs_observed_without_activities()
    {
        using var recorder = new MeasurementRecorder();
        var workflow = new WhoIsCurrent();

        await workflow.RunAsync().OrTimeout();

        if (!ObserveEverything.IsOn)
        {
            Assert.Null(workflow.SeenInStep);
        }

        Assert.Single(recorder.Of(FlowsTelemetry.StepDurationInstrument, nameof(WhoIsCurrent)));
    }
}
