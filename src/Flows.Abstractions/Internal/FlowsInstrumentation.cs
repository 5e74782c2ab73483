using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Flows.Internal;

/// <summary>The one <see cref="ActivitySource"/> and <see cref="Meter"/> of Flows, and the instruments on it.</summary>
internal static class FlowsInstrumentation
{
    private static readonly string? s_version = typeof(FlowsTelemetry).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource Source = new(FlowsTelemetry.ActivitySourceName, s_version);

    public static readonly Meter Meter = new(FlowsTelemetry.MeterName, s_version);

    public static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>(
        FlowsTelemetry.StepDurationInstrument, "ms", "How long a step took, from its start to its result, all attempts included.");

    public static readonly Counter<long> StepFailures = Meter.CreateCounter<long>(
        FlowsTelemetry.StepFailuresInstrument, "{failure}", "Steps that failed after their last attempt.");

    public static readonly Counter<long> StepRetries = Meter.CreateCounter<long>(
        FlowsTelemetry.StepRetriesInstrument, "{retry}", "Failed attempts of a step or a foreach item that were tried again.");

    /// <summary>Whether anything listens to the source or to any instrument right now.</summary>
    public static bool IsEnabled =>
        Source.HasListeners() || StepDuration.Enabled || StepFailures.Enabled || StepRetries.Enabled;

    public static string OutcomeName(TimelineOutcome outcome) => outcome switch
    {
        TimelineOutcome.Succeeded => "succeeded",
        TimelineOutcome.Failed => "failed",
        TimelineOutcome.Cancelled => "cancelled",
        _ => "running",
    };

    /// <summary>How an exception ends a run, step or item: a cancellation is not a failure.</summary>
    public static TimelineOutcome OutcomeOf(Exception? exception) => exception switch
    {
        null => TimelineOutcome.Succeeded,
        OperationCanceledException => TimelineOutcome.Cancelled,
        _ => TimelineOutcome.Failed,
    };

    /// <summary>Ends <paramref name="activity"/> with the outcome tags, and error status and an exception event on a failure.</summary>
    public static void Stop(Activity activity, Activity? previous, TimelineOutcome outcome, Exception? exception)
    {
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(FlowsTelemetry.OutcomeTag, OutcomeName(outcome));
            if (outcome == TimelineOutcome.Failed && exception is not null)
            {
                var type = exception.GetType().FullName;
                activity.SetTag(FlowsTelemetry.ErrorTypeTag, type);
                activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
                {
                    { "exception.type", type },
                    { "exception.message", exception.Message },
                }));
            }
        }

        if (outcome == TimelineOutcome.Failed)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception is null ? null : $"{exception.GetType().Name}: {exception.Message}");
        }

        activity.Stop();

        // An activity started by a synchronous call stays current in the caller's context: give the caller back its own.
        if (ReferenceEquals(Activity.Current, activity))
        {
            Activity.Current = previous;
        }
    }
}
