namespace Flows;

/// <summary>
/// The names under which Flows reports traces and metrics, for use with OpenTelemetry's
/// <c>AddSource</c> and <c>AddMeter</c> or an <see cref="System.Diagnostics.ActivityListener"/>.
/// </summary>
/// <remarks>
/// A run is traced and measured only while something listens: an <see cref="System.Diagnostics.ActivityListener"/>
/// on <see cref="ActivitySourceName"/>, or a <see cref="System.Diagnostics.Metrics.MeterListener"/> that enabled one of
/// the instruments of <see cref="MeterName"/>. The generated <c>RunAsync</c> looks once per run; a run that starts
/// while nothing listens costs what it cost before telemetry existed.
/// </remarks>
public static class FlowsTelemetry
{
    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> that traces runs, steps and items.</summary>
    public const string ActivitySourceName = "Flows";

    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> that measures step durations, failures and retries.</summary>
    public const string MeterName = "Flows";

    /// <summary>Histogram of how long each step took, from its start to its result (all attempts), in milliseconds.</summary>
    public const string StepDurationInstrument = "flows.step.duration";

    /// <summary>Counter of steps that failed (after their last attempt), including continue-on-error steps.</summary>
    public const string StepFailuresInstrument = "flows.step.failures";

    /// <summary>Counter of retries: one for every failed attempt of a step or an item that is tried again.</summary>
    public const string StepRetriesInstrument = "flows.step.retries";

    /// <summary>Tag: the workflow class's name.</summary>
    public const string WorkflowTag = "flows.workflow";

    /// <summary>Tag: the step method's name.</summary>
    public const string StepTag = "flows.step";

    /// <summary>Tag: the parallel group a step belongs to (absent when none).</summary>
    public const string GroupTag = "flows.group";

    /// <summary>Tag: the position of a foreach item in its source, from 0.</summary>
    public const string ItemIndexTag = "flows.item.index";

    /// <summary>Tag: the number of attempts a step or an item made (1 without retries).</summary>
    public const string AttemptTag = "flows.attempt";

    /// <summary>Tag: how a run, step or item ended: <c>succeeded</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    public const string OutcomeTag = "flows.outcome";

    /// <summary>Tag: the full name of the exception's type, on a failure (the OpenTelemetry <c>error.type</c> convention).</summary>
    public const string ErrorTypeTag = "error.type";
}
