using System.Collections.Concurrent;

namespace Flows.IntegrationTests.Telemetry;

public sealed class ItemFailedOnceException(int index) : Exception($"Item {index} failed its first attempt.");

public sealed class StepFailedException() : InvalidOperationException("The step broke.");

/// <summary>A step, a group of two, a foreach of three items (degree 2) and a last step: every kind of activity.</summary>
[Workflow]
public partial class TracedOrder
{
    public ConcurrentBag<(string Step, Activity? Current)> Seen { get; } = new();

    [Step]
    public async Task<int[]> Load(CancellationToken ct)
    {
        Seen.Add((nameof(Load), Activity.Current));
        await Task.Yield();
        return new[] { 10, 20, 30 };
    }

    [Step, Parallel("checks")]
    public async Task<bool> CheckStock(int[] load)
    {
        Seen.Add((nameof(CheckStock), Activity.Current));
        await Task.Yield();
        return load.Length > 0;
    }

    [Step, Parallel("checks")]
    public bool CheckCredit(int[] load)
    {
        Seen.Add((nameof(CheckCredit), Activity.Current));
        return true;
    }

    [ParallelForEach(nameof(Load), MaxDegreeOfParallelism = 2)]
    public async Task<int> Reserve(int line, StepContext context)
    {
        Seen.Add(($"{nameof(Reserve)}[{context.Index}]", Activity.Current));
        await Task.Yield();
        return line + 1;
    }

    [Step]
    public int Complete(IReadOnlyList<int> reserve, bool checkStock, bool checkCredit) => reserve.Sum();
}

/// <summary>A step that fails after the first one succeeded; the last step never starts.</summary>
[Workflow]
public partial class BrokenOrder
{
    [Step]
    public int Load() => 1;

    [Step]
    public Task<int> Charge(int load) => Task.FromException<int>(new StepFailedException());

    [Step]
    public int Ship(int charge) => charge;
}

/// <summary>A step that succeeds at its third attempt, and a foreach whose item 1 succeeds at its second.</summary>
[Workflow]
public partial class FlakyOrder
{
    private int _chargeAttempts;
    private int _itemOneAttempts;

    [Step, Retry(3)]
    public Task<int> Charge()
    {
        return Interlocked.Increment(ref _chargeAttempts) < 3
            ? Task.FromException<int>(new TimeoutException("The payment service did not answer."))
            : Task.FromResult(42);
    }

    [Step]
    public int[] Lines(int charge) => new[] { 0, 1, 2 };

    [ParallelForEach(nameof(Lines), MaxDegreeOfParallelism = 1), Retry(2)]
    public int Pack(int line)
    {
        if (line == 1 && Interlocked.Increment(ref _itemOneAttempts) == 1)
        {
            throw new ItemFailedOnceException(line);
        }

        return line;
    }
}

/// <summary>Three synchronous-completing steps in one group: the F1 shape, for the allocation check.</summary>
[Workflow]
public partial class QuietFanOut
{
    [Step, Parallel("fan")]
    public Task First() => Task.CompletedTask;

    [Step, Parallel("fan")]
    public Task Second() => Task.CompletedTask;

    [Step, Parallel("fan")]
    public Task Third() => Task.CompletedTask;
}

/// <summary>Records the current activity inside a step, to show whether the run was observed.</summary>
[Workflow]
public partial class WhoIsCurrent
{
    public Activity? SeenInStep { get; private set; }

    [Step]
    public void Look() => SeenInStep = Activity.Current;
}
