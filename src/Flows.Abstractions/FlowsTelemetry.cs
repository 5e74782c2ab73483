namespace Flows;

/// <summary>
/// The names under which Flows reports traces and metrics, for use with OpenTelemetry's
/// <c>AddSource</c> and <c>AddMeter</c> or an <see cref="System.Diagnostics.ActivityListener"/>.
/// </summary>
public static class FlowsTelemetry
{
    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> that traces runs, steps and items.</summary>
    public const string ActivitySourceName = "Flows";

    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> that measures step durations, failures and retries.</summary>
    public const string MeterName = "Flows";
}
