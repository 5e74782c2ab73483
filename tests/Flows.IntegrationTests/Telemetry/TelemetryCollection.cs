using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Flows.IntegrationTests.Telemetry;

/// <summary>
/// Listeners on Flows' source and meter are process-wide: the classes that attach them run alone, so that no other
/// test's runs take the observed path or land in their recordings. Each test still reads only its own workflows.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}

/// <summary>Records every stopped activity of Flows' source, with all data, while it is not disposed.</summary>
public sealed class ActivityRecorder : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public ActivityRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == FlowsTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _stopped.Enqueue(activity),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The stopped activities of runs of <paramref name="workflow"/>.</summary>
    public Activity[] Of(string workflow) =>
        _stopped.Where(activity => (activity.GetTagItem(FlowsTelemetry.WorkflowTag) as string) == workflow).ToArray();

    public void Dispose() => _listener.Dispose();
}

/// <summary>Records every measurement of Flows' instruments while it is not disposed.</summary>
public sealed class MeasurementRecorder : IDisposable
{
    private readonly ConcurrentQueue<Measurement> _measurements = new();
    private readonly MeterListener _listener = new();

    public MeasurementRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == FlowsTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The measurements of <paramref name="instrument"/> taken in runs of <paramref name="workflow"/>.</summary>
    public Measurement[] Of(string instrument, string workflow) =>
        _measurements.Where(measurement => measurement.Instrument == instrument && measurement.Tags[FlowsTelemetry.WorkflowTag] as string == workflow).ToArray();

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue(new Measurement(instrument.Name, instrument.Unit, value, copy));
    }

    public sealed record Measurement(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags);
}
