using Microsoft.Extensions.DependencyInjection;

namespace Flows.DurableTask.Tests.Workflows;

/// <summary>The generated workflows of GeneratedSemanticsTests.</summary>
public static class SemanticsWorkflows
{
    public static void Register(DurableTaskRegistry registry)
    {
        BoundedForEachWorkflow.Durable.Register(registry);
        FailFastGroupWorkflow.Durable.Register(registry);
        WaitAllGroupWorkflow.Durable.Register(registry);
        ContinueOnErrorWorkflow.Durable.Register(registry);
        RetryExhaustedWorkflow.Durable.Register(registry);
        RetryRecoversWorkflow.Durable.Register(registry);
        StepTimeoutWorkflow.Durable.Register(registry);
        SuspendableWorkflow.Durable.Register(registry);
        WorkflowTimeoutWorkflow.Durable.Register(registry);
        ForEachPastDeadlineWorkflow.Durable.Register(registry);
        GroupTimeoutWorkflow.Durable.Register(registry);
        DataflowDiamondWorkflow.Durable.Register(registry);
        CancellableWorkflow.Durable.Register(registry);
        HookedWorkflow.Durable.Register(registry);
    }

    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton(SemanticsProbe.Instance);
    }
}

/// <summary>
/// What the step bodies of generated durable workflows did, seen from inside their activities, per run: the activities
/// take a run id as a workflow input and report to <see cref="For"/> that id, so runs never mix. One singleton in the
/// worker's services (<see cref="Instance"/>), which the tests read.
/// </summary>
public sealed class SemanticsProbe
{
    private readonly ConcurrentDictionary<string, RunProbe> _runs = new();

    public static SemanticsProbe Instance { get; } = new();

    public RunProbe For(string runId) => _runs.GetOrAdd(runId, static _ => new RunProbe());
}

/// <summary>One step execution (an item, an attempt) as its activity saw it.</summary>
public sealed record StepRecord(string Step, int Item, int Attempt, DateTime StartedAt);

/// <summary>The activities of one run: how many ran at once (at most), what started and ended when, the hooks' logs.</summary>
public sealed class RunProbe
{
    private readonly ConcurrentQueue<StepRecord> _started = new();
    private readonly ConcurrentQueue<(string Step, int Item, DateTime At)> _ended = new();
    private readonly ConcurrentQueue<ConcurrentQueue<string>> _logs = new();
    private int _running;
    private int _maxRunning;

    public int Running => Volatile.Read(ref _running);

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public IReadOnlyList<StepRecord> Started => _started.ToArray();

    public int StartsOf(string step) => _started.Count(record => record.Step == step);

    public DateTime EndOf(string step, int item = -1) => _ended.Single(end => end.Step == step && end.Item == item).At;

    /// <summary>The hook logs of the workflow instances the run's activities created, one per activity call.</summary>
    public IReadOnlyList<string[]> Logs => _logs.Select(log => log.ToArray()).ToArray();

    /// <summary>A step (item, attempt) starts: counted as running until the returned scope is disposed.</summary>
    public Scope Enter(string step, int item = -1, int attempt = 1)
    {
        var running = Interlocked.Increment(ref _running);
        int max;
        while (running > (max = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, running, max) != max)
        {
        }

        _started.Enqueue(new StepRecord(step, item, attempt, DateTime.UtcNow));
        return new Scope(this, step, item);
    }

    public void Attach(ConcurrentQueue<string> log) => _logs.Enqueue(log);

    private void Exit(string step, int item)
    {
        _ended.Enqueue((step, item, DateTime.UtcNow));
        Interlocked.Decrement(ref _running);
    }

    public readonly struct Scope(RunProbe probe, string step, int item) : IDisposable
    {
        public void Dispose() => probe.Exit(step, item);
    }
}

/// <summary>A foreach of degree 4: items take different times, so they finish out of source order.</summary>
[Workflow(Durable = true)]
public partial class BoundedForEachWorkflow(SemanticsProbe probe)
{
    [ParallelForEach("items", MaxDegreeOfParallelism = 4)]
    public async Task<int> SquareAsync(int item, string runId)
    {
        using (probe.For(runId).Enter(nameof(SquareAsync), item))
        {
            await Task.Delay(150 + (item * 37 % 5 * 40));
            return item * item;
        }
    }
}

/// <summary>A fail-fast group: Quick fails at once, Late fails later, Slow succeeds; After must never run.</summary>
[Workflow(Durable = true)]
public partial class FailFastGroupWorkflow(SemanticsProbe probe)
{
    [Step, Parallel("checks")]
    public int Quick(string runId)
    {
        using (probe.For(runId).Enter(nameof(Quick)))
        {
            throw new ArgumentException("quick check failed");
        }
    }

    [Step, Parallel("checks")]
    public async Task<int> SlowAsync(string runId)
    {
        using (probe.For(runId).Enter(nameof(SlowAsync)))
        {
            await Task.Delay(1000);
            return 1;
        }
    }

    [Step, Parallel("checks")]
    public async Task<int> LateAsync(string runId)
    {
        using (probe.For(runId).Enter(nameof(LateAsync)))
        {
            await Task.Delay(700);
            throw new InvalidOperationException("late check failed");
        }
    }

    [Step]
    public int After(int quick, int slow, int late, string runId)
    {
        using (probe.For(runId).Enter(nameof(After)))
        {
            return quick + slow + late;
        }
    }
}

/// <summary>A wait-all group with two failing members and one that succeeds; After must never run.</summary>
[Workflow(Durable = true)]
public partial class WaitAllGroupWorkflow(SemanticsProbe probe)
{
    [Step, Parallel("checks", Failure = FailurePolicy.WaitAll)]
    public async Task<int> FirstBadAsync(string runId)
    {
        using (probe.For(runId).Enter(nameof(FirstBadAsync)))
        {
            await Task.Delay(300);
            throw new InvalidOperationException("first member broke");
        }
    }

    [Step, Parallel("checks", Failure = FailurePolicy.WaitAll)]
    public async Task<int> GoodAsync(string runId)
    {
        using (probe.For(runId).Enter(nameof(GoodAsync)))
        {
            await Task.Delay(500);
            return 2;
        }
    }

    [Step, Parallel("checks", Failure = FailurePolicy.WaitAll)]
    public int SecondBad(string runId)
    {
        using (probe.For(runId).Enter(nameof(SecondBad)))
        {
            throw new FormatException("third member broke");
        }
    }

    [Step]
    public int After(int firstBad, int good, int secondBad, string runId)
    {
        using (probe.For(runId).Enter(nameof(After)))
        {
            return firstBad + good + secondBad;
        }
    }
}

/// <summary>
/// Failures as outcomes: a continue-on-error group (one member fails) and a continue-on-error foreach (multiples of three
/// fail), both consumed by a step that describes what it received, in its activity.
/// </summary>
[Workflow(Durable = true)]
public partial class ContinueOnErrorWorkflow
{
    [Step, Parallel("lookups", Failure = FailurePolicy.ContinueOnError)]
    public static int Found() => 7;

    [Step, Parallel("lookups", Failure = FailurePolicy.ContinueOnError)]
    public static int Missing() => throw new KeyNotFoundException("no entry for the key");

    [ParallelForEach("items", ContinueOnError = true, MaxDegreeOfParallelism = 4)]
    public static int Check(int item) => item % 3 == 0 ? throw new InvalidOperationException($"item {item} is a multiple of three") : item * 10;

    [Step]
    public static string[] Report(Outcome<int> found, Outcome<int> missing, IReadOnlyList<Outcome<int>> check) =>
        new[] { Describe(found), Describe(missing) }.Concat(check.Select(Describe)).ToArray();

    public static string Describe(Outcome<int> outcome) => outcome.IsSuccess
        ? $"ok|{outcome.Value}"
        : outcome.Exception is DurableStepException step
            ? $"failed|{nameof(DurableStepException)}|{step.StepName}|{step.ErrorType}|{step.ErrorMessage}"
            : $"failed|{outcome.Exception!.GetType().FullName}|{outcome.Exception.Message}";
}

/// <summary>A step that fails on every attempt it is given: three.</summary>
[Workflow(Durable = true)]
public partial class RetryExhaustedWorkflow(SemanticsProbe probe)
{
    [Step, Retry(3)]
    public int Unreliable(string runId, StepContext context)
    {
        using (probe.For(runId).Enter(nameof(Unreliable), attempt: context.Attempt))
        {
            throw new InvalidOperationException($"attempt {context.Attempt} failed");
        }
    }
}

/// <summary>A step that fails twice, then succeeds (with a delay between attempts, a durable timer).</summary>
[Workflow(Durable = true)]
public partial class RetryRecoversWorkflow(SemanticsProbe probe)
{
    [Step, Retry(3, DelayMilliseconds = 100)]
    public int Flaky(string runId, StepContext context)
    {
        using (probe.For(runId).Enter(nameof(Flaky), attempt: context.Attempt))
        {
            return context.Attempt < 3 ? throw new TimeoutException($"attempt {context.Attempt} timed out") : 42;
        }
    }
}

/// <summary>A step of 2 s under a 200 ms timeout; After must never run.</summary>
[Workflow(Durable = true)]
public partial class StepTimeoutWorkflow(SemanticsProbe probe)
{
    [Step, Timeout(200)]
    public async Task<int> SlowAsync(string runId)
    {
        using (probe.For(runId).Enter(nameof(SlowAsync)))
        {
            await Task.Delay(2000);
            return 1;
        }
    }

    [Step]
    public int After(int slow, string runId)
    {
        using (probe.For(runId).Enter(nameof(After)))
        {
            return slow;
        }
    }
}

/// <summary>A foreach of degree 1 whose items take 150 ms each: slow enough to suspend in the middle.</summary>
[Workflow(Durable = true)]
public partial class SuspendableWorkflow(SemanticsProbe probe)
{
    [ParallelForEach("items", MaxDegreeOfParallelism = 1)]
    public async Task<int> ProcessAsync(int item, string runId)
    {
        using (probe.For(runId).Enter(nameof(ProcessAsync), item))
        {
            await Task.Delay(150);
            return item + 1000;
        }
    }
}

/// <summary>A run limited to 300 ms whose first step takes 1.5 s; After must never run.</summary>
[Workflow(Durable = true, TimeoutMilliseconds = 300)]
public partial class WorkflowTimeoutWorkflow(SemanticsProbe probe)
{
    [Step]
    public async Task<int> SlowAsync(string runId)
    {
        using (probe.For(runId).Enter(nameof(SlowAsync)))
        {
            await Task.Delay(1500);
            return 1;
        }
    }

    [Step]
    public int After(int slow, string runId)
    {
        using (probe.For(runId).Enter(nameof(After)))
        {
            return slow;
        }
    }
}

/// <summary>A run limited to 500 ms whose foreach (degree 1) would take 3 s: the items after the deadline must not start.</summary>
[Workflow(Durable = true, TimeoutMilliseconds = 500)]
public partial class ForEachPastDeadlineWorkflow(SemanticsProbe probe)
{
    [ParallelForEach("items", MaxDegreeOfParallelism = 1)]
    public async Task<int> ProcessAsync(int item, string runId)
    {
        using (probe.For(runId).Enter(nameof(ProcessAsync), item))
        {
            await Task.Delay(200);
            return item;
        }
    }
}

/// <summary>A group limited to 300 ms whose members take 1.5 s; After must never run.</summary>
[Workflow(Durable = true)]
public partial class GroupTimeoutWorkflow(SemanticsProbe probe)
{
    [Step, Parallel("slowpair", TimeoutMilliseconds = 300)]
    public async Task<int> LeftAsync(string runId)
    {
        using (probe.For(runId).Enter(nameof(LeftAsync)))
        {
            await Task.Delay(1500);
            return 1;
        }
    }

    [Step, Parallel("slowpair")]
    public async Task<int> RightAsync(string runId)
    {
        using (probe.For(runId).Enter(nameof(RightAsync)))
        {
            await Task.Delay(1500);
            return 2;
        }
    }

    [Step]
    public int After(int left, int right, string runId)
    {
        using (probe.For(runId).Enter(nameof(After)))
        {
            return left + right;
        }
    }
}

/// <summary>
/// A diamond under Dataflow scheduling: Root feeds Fast (50 ms) and Slow (2 s); AfterFast needs only Fast; Join needs
/// AfterFast and Slow. AfterFast must start long before Slow ends.
/// </summary>
[Workflow(Scheduling = Scheduling.Dataflow, Durable = true)]
public partial class DataflowDiamondWorkflow(SemanticsProbe probe)
{
    [Step]
    public int Root(string runId)
    {
        using (probe.For(runId).Enter(nameof(Root)))
        {
            return 1;
        }
    }

    [Step]
    public async Task<int> FastAsync(int root, string runId)
    {
        using (probe.For(runId).Enter(nameof(FastAsync)))
        {
            await Task.Delay(50);
            return root + 10;
        }
    }

    [Step]
    public async Task<int> SlowAsync(int root, string runId)
    {
        using (probe.For(runId).Enter(nameof(SlowAsync)))
        {
            await Task.Delay(2000);
            return root + 100;
        }
    }

    [Step]
    public int AfterFast(int fast, string runId)
    {
        using (probe.For(runId).Enter(nameof(AfterFast)))
        {
            return fast * 2;
        }
    }

    [Step]
    public int Join(int afterFast, int slow, string runId)
    {
        using (probe.For(runId).Enter(nameof(Join)))
        {
            return afterFast + slow;
        }
    }
}

/// <summary>A long foreach of degree 1 (20 items of 200 ms), to be cancelled in the middle.</summary>
[Workflow(Durable = true)]
public partial class CancellableWorkflow(SemanticsProbe probe)
{
    [ParallelForEach("items", MaxDegreeOfParallelism = 1)]
    public async Task<int> WorkAsync(int item, string runId)
    {
        using (probe.For(runId).Enter(nameof(WorkAsync), item))
        {
            await Task.Delay(200);
            return item;
        }
    }
}

/// <summary>
/// Hooks around the steps: each activity creates its own workflow instance, whose hooks and step body write to the
/// instance's log; the step body hands the log to the run's probe. Flaky fails its first attempt (OnStepFailed).
/// </summary>
[Workflow(Durable = true)]
public partial class HookedWorkflow(SemanticsProbe probe)
{
    private readonly ConcurrentQueue<string> _log = new();

    [Step]
    public async Task<IReadOnlyList<int>> PrepareAsync(string runId, StepContext context)
    {
        Report(runId, context);
        await Task.Delay(100);
        return new[] { 1, 2, 3 };
    }

    [ParallelForEach(nameof(PrepareAsync), MaxDegreeOfParallelism = 2)]
    public int Doubled(int item, string runId, StepContext context)
    {
        Report(runId, context);
        return item * 2;
    }

    [Step, Retry(2)]
    public int Flaky(IReadOnlyList<int> doubled, string runId, StepContext context)
    {
        Report(runId, context);
        return context.Attempt == 1 ? throw new InvalidOperationException("first attempt fails") : doubled.Sum();
    }

    private void Report(string runId, StepContext context)
    {
        _log.Enqueue($"body {context.Step} item {context.Index} attempt {context.Attempt}");
        probe.For(runId).Attach(_log);
    }

    partial void OnStepStarting(in StepContext context) =>
        _log.Enqueue($"starting {context.Workflow}.{context.Step} item {context.Index} of {context.Count} attempt {context.Attempt}");

    partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) =>
        _log.Enqueue($"completed {context.Step} item {context.Index} attempt {context.Attempt} in {(int)elapsed.TotalMilliseconds} ms");

    partial void OnStepFailed(in StepContext context, Exception exception) =>
        _log.Enqueue($"failed {context.Step} item {context.Index} attempt {context.Attempt}: {exception.Message}");
}
