using System.ComponentModel;
using System.Diagnostics;

namespace Flows.Internal;

/// <summary>
/// Observes one step, or one item of a foreach step, of an observed run: its activity, its metrics and its timeline
/// entry. Made by <see cref="RunObserver.StartStep"/> (and by the foreach engine for items); ended once, by
/// <see cref="End"/>, after <see cref="Fail"/> when it failed. Not meant to be used by user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class StepObservation
{
    private readonly RunObserver _run;
    private readonly StepObservation? _step;
    private readonly string _name;
    private readonly long _started;
    private readonly Activity? _activity;
    private readonly Activity? _previous;
    private readonly int _entry;
    private string? _itemActivityName;
    private int _attempts = 1;
    private Exception? _failure;
    private int _ended;

    internal StepObservation(RunObserver run, string step, int stage, string? group)
    {
        _run = run;
        _name = step;
        _started = Stopwatch.GetTimestamp();
        _entry = run.Timeline?.Begin(TimelineEntryKind.Step, step, stage, group, -1, _started) ?? -1;

        _previous = Activity.Current;
        _activity = FlowsInstrumentation.Source.StartActivity(
            run.Workflow + "." + step, ActivityKind.Internal, run.Activity?.Context ?? default(ActivityContext));
        if (_activity is { IsAllDataRequested: true } activity)
        {
            activity.SetTag(FlowsTelemetry.WorkflowTag, run.Workflow);
            activity.SetTag(FlowsTelemetry.StepTag, step);
            if (group is not null)
            {
                activity.SetTag(FlowsTelemetry.GroupTag, group);
            }
        }
    }

    private StepObservation(StepObservation step, int index, int stage, string? group)
    {
        _run = step._run;
        _step = step;
        _name = step._name;
        _started = Stopwatch.GetTimestamp();
        _entry = _run.Timeline?.Begin(TimelineEntryKind.Item, _name, stage, group, index, _started) ?? -1;

        // Items may run on thread-pool workers that do not flow the step's context: name the parent explicitly.
        _previous = Activity.Current;
        _activity = FlowsInstrumentation.Source.StartActivity(
            step._itemActivityName ??= _run.Workflow + "." + _name + " item",
            ActivityKind.Internal,
            step._activity?.Context ?? default(ActivityContext));
        if (_activity is { IsAllDataRequested: true } activity)
        {
            activity.SetTag(FlowsTelemetry.WorkflowTag, _run.Workflow);
            activity.SetTag(FlowsTelemetry.StepTag, _name);
            activity.SetTag(FlowsTelemetry.ItemIndexTag, index);
        }
    }

    /// <summary>Records the exception the step or item ends with; <see cref="End"/> must still be called.</summary>
    public void Fail(Exception exception) => _failure ??= exception;

    /// <summary>Ends the observation: succeeded unless <see cref="Fail"/> was called. Later calls do nothing.</summary>
    public void End()
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        var ended = Stopwatch.GetTimestamp();
        var outcome = FlowsInstrumentation.OutcomeOf(_failure);
        var attempts = Volatile.Read(ref _attempts);
        _run.Timeline?.End(_entry, ended, attempts, outcome, _failure);

        // Metrics count steps; items show in traces and in the timeline.
        if (_step is null)
        {
            if (FlowsInstrumentation.StepDuration.Enabled)
            {
                var tags = new TagList
                {
                    { FlowsTelemetry.WorkflowTag, _run.Workflow },
                    { FlowsTelemetry.StepTag, _name },
                    { FlowsTelemetry.OutcomeTag, FlowsInstrumentation.OutcomeName(outcome) },
                };
                FlowsInstrumentation.StepDuration.Record(Stopwatch.GetElapsedTime(_started, ended).TotalMilliseconds, tags);
            }

            if (outcome == TimelineOutcome.Failed && FlowsInstrumentation.StepFailures.Enabled)
            {
                var tags = new TagList
                {
                    { FlowsTelemetry.WorkflowTag, _run.Workflow },
                    { FlowsTelemetry.StepTag, _name },
                    { FlowsTelemetry.ErrorTypeTag, _failure!.GetType().FullName },
                };
                FlowsInstrumentation.StepFailures.Add(1, tags);
            }
        }

        if (_activity is not null)
        {
            if (_activity.IsAllDataRequested)
            {
                _activity.SetTag(FlowsTelemetry.AttemptTag, attempts);
            }

            FlowsInstrumentation.Stop(_activity, _previous, outcome, _failure);
        }
    }

    /// <summary>Starts observing item <paramref name="index"/> of this foreach step.</summary>
    internal StepObservation StartItem(int index, int stage, string? group) => new(this, index, stage, group);

    /// <summary>Attempt <paramref name="attempt"/> failed with <paramref name="exception"/> and will be tried again.</summary>
    internal void Retrying(int attempt, Exception exception)
    {
        Volatile.Write(ref _attempts, attempt + 1);
        var type = exception.GetType().FullName;
        if (_activity is { IsAllDataRequested: true } activity)
        {
            activity.AddEvent(new ActivityEvent("flows.retry", tags: new ActivityTagsCollection
            {
                { FlowsTelemetry.AttemptTag, attempt },
                { "exception.type", type },
                { "exception.message", exception.Message },
            }));
        }

        if (FlowsInstrumentation.StepRetries.Enabled)
        {
            var tags = new TagList
            {
                { FlowsTelemetry.WorkflowTag, _run.Workflow },
                { FlowsTelemetry.StepTag, _name },
                { FlowsTelemetry.ErrorTypeTag, type },
            };
            FlowsInstrumentation.StepRetries.Add(1, tags);
        }
    }
}
