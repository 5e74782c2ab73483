using System.Diagnostics;
using BenchmarkDotNet.Attributes;

namespace Flows.Benchmarks;

/// <summary>
/// T1: the F1 workflow (three synchronously completed <see cref="Task"/> steps in one group) with nothing listening,
/// with an <see cref="ActivityListener"/> on Flows' source that records every activity, and with an
/// <see cref="ExecutionTimeline"/> per run. Target: without a listener, 0 B per run and the F1 time.
/// </summary>
/// <remarks>
/// BenchmarkDotNet runs every case in a process of its own, so the listener attached for one case never reaches the
/// others.
/// </remarks>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class T1Telemetry
{
    private readonly SyncFanOutWorkflow _workflow = new();
    private ActivityListener? _listener;

    [GlobalSetup(Target = nameof(ActivityListenerAttached))]
    public void AttachListener()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == FlowsTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [GlobalCleanup(Target = nameof(ActivityListenerAttached))]
    public void DetachListener() => _listener?.Dispose();

    [Benchmark(Baseline = true)]
    public ValueTask NoListener() => _workflow.RunAsync();

    [Benchmark]
    public ValueTask ActivityListenerAttached() => _workflow.RunAsync();

    [Benchmark]
    public ValueTask TimelinePerRun() => _workflow.RunAsync(new ExecutionTimeline());

    // What the plain path pays for telemetry: the one look per run at whether anything listens.
    [Benchmark]
    public bool ListenerCheckAlone() => Flows.Internal.RunObserver.IsEnabled;
}
