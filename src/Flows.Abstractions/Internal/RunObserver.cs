using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Flows.Internal;

/// <summary>
/// Observes one run for tracing, metrics and an <see cref="ExecutionTimeline"/>. Generated code creates one only when
/// something listens (<see cref="IsEnabled"/>) or a timeline was passed, and then runs the observed copy of the
/// orchestration; otherwise the run pays for one look at <see cref="IsEnabled"/>. Not meant to be used by user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RunObserver
{
    private readonly Activity? _activity;
    private readonly Activity? _previous;
    private readonly int _entry;
    private Exception? _failure;
    private int _ended;

    private RunObserver(string workflow, ExecutionTimeline? timeline)
    {
        Workflow = workflow;
        Timeline = timeline;
        Started = Stopwatch.GetTimestamp();
        _entry = timeline?.BeginRun(workflow, Started) ?? -1;

        _previous = Activity.Current;
        _activity = FlowsInstrumentation.Source.StartActivity(workflow, ActivityKind.Internal);
        if (_activity is { IsAllDataRequested: true } activity)
        {
            activity.SetTag(FlowsTelemetry.WorkflowTag, workflow);
        }
    }

    /// <summary>Whether an <see cref="ActivityListener"/> listens to Flows' source or a meter listener enabled one of its instruments.</summary>
    public static bool IsEnabled
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => FlowsInstrumentation.IsEnabled;
    }

    internal string Workflow { get; }

    internal ExecutionTimeline? Timeline { get; }

    internal long Started { get; }

    internal Activity? Activity => _activity;

    /// <summary>Starts observing a run of <paramref name="workflow"/>; call it inside the run's own async method.</summary>
    /// <param name="workflow">The workflow class's name.</param>
    /// <param name="timeline">Where to record the run, or null.</param>
    public static RunObserver Start(string workflow, ExecutionTimeline? timeline) => new(workflow, timeline);

    /// <summary>Starts observing a step that is about to run.</summary>
    /// <param name="step">The step method's name.</param>
    /// <param name="stage">The step's stage, from 1.</param>
    /// <param name="group">The step's parallel group, or null.</param>
    public StepObservation StartStep(string step, int stage, string? group) => new(this, step, stage, group);

    /// <summary>Records the exception that ends the run; <see cref="End"/> must still be called.</summary>
    public void Fail(Exception exception) => _failure ??= exception;

    /// <summary>Ends the run: succeeded unless <see cref="Fail"/> was called.</summary>
    public void End()
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        var outcome = FlowsInstrumentation.OutcomeOf(_failure);
        Timeline?.End(_entry, Stopwatch.GetTimestamp(), 1, outcome, _failure);
        if (_activity is not null)
        {
            FlowsInstrumentation.Stop(_activity, _previous, outcome, _failure);
        }
    }
}
