using System.Runtime.CompilerServices;

namespace Flows.IntegrationTests.Telemetry;

/// <summary>
/// With <c>FLOWS_OBSERVE_ALL=1</c> in the environment, a listener on Flows' source is attached before any test runs,
/// so that every behaviour test runs the observed copy of its orchestration: the same semantics must hold there.
/// </summary>
public static class ObserveEverything
{
    public static bool IsOn { get; } = Environment.GetEnvironmentVariable("FLOWS_OBSERVE_ALL") == "1";

    [ModuleInitializer]
    internal static void AttachWhenAsked()
    {
        if (!IsOn)
        {
            return;
        }

        ActivitySource.AddActivityListener(new ActivityListener
        {
            ShouldListenTo = source => source.Name == FlowsTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        });
    }
}
