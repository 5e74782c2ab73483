namespace Flows.IntegrationTests.Telemetry;

/// <summary>A step, a group of two that wait for each other, a foreach of four items and a last step.</summary>
[Workflow]
public partial class GanttShape
{
    private readonly TaskCompletionSource _leftStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _rightStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Step]
    public int[] First() => new[] { 1, 2, 3, 4 };

    // Each member of the pair ends only once the other has started: their entries must overlap.
    [Step, Parallel("pair")]
    public async Task Left()
    {
        _leftStarted.SetResult();
        await _rightStarted.Task.WaitAsync(Limits.Hang);
    }

    [Step, Parallel("pair")]
    public async Task Right()
    {
        _rightStarted.SetResult();
        await _leftStarted.Task.WaitAsync(Limits.Hang);
    }

    [ParallelForEach(nameof(First), MaxDegreeOfParallelism = 2)]
    public async Task<int> Each(int item)
    {
        await Task.Yield();
        return item * 2;
    }

    [Step]
    public int Last(IReadOnlyList<int> each) => each.Sum();
}

/// <summary>The second step waits until it is cancelled; the third never starts.</summary>
[Workflow]
public partial class Interrupted
{
    public TaskCompletionSource WaitStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Step]
    public int Prepare() => 1;

    [Step]
    public async Task<int> Wait(int prepare, CancellationToken ct)
    {
        WaitStarted.SetResult();
        await Task.Delay(Timeout.Infinite, ct);
        return prepare;
    }

    [Step]
    public int Finish(int wait) => wait;
}

/// <summary>One member fails once the other has started; the other is stopped by the group.</summary>
[Workflow]
public partial class HalfBroken
{
    private readonly TaskCompletionSource _slowStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Step, Parallel("io: fast #1; now")]
    public async Task Slow(CancellationToken ct)
    {
        _slowStarted.SetResult();
        await Task.Delay(Timeout.Infinite, ct);
    }

    [Step, Parallel("io: fast #1; now")]
    public async Task Broken()
    {
        await _slowStarted.Task.WaitAsync(Limits.Hang);
        throw new StepFailedException();
    }
}

/// <summary>Two stages: the first signals, then waits to be let go, so a test can pause the run between them.</summary>
[Workflow]
public partial class Pausable
{
    public TaskCompletionSource FirstStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource ReleaseFirst { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Step]
    public async Task One()
    {
        FirstStarted.SetResult();
        await ReleaseFirst.Task.WaitAsync(Limits.Hang);
    }

    [Step]
    public void Two()
    {
    }
}

/// <summary>A foreach of 30 items, for the row cap of the gantt chart.</summary>
[Workflow]
public partial class ManyItems
{
    [Step]
    public int[] Source() => Enumerable.Range(0, 30).ToArray();

    [ParallelForEach(nameof(Source), MaxDegreeOfParallelism = 4)]
    public int Square(int item) => item * item;
}
