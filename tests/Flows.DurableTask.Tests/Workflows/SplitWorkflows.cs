namespace Flows.DurableTask.Tests.Workflows;

/// <summary>Counts how many items run at once, per run (by the run's id).</summary>
public static class SplitProbe
{
    private static readonly ConcurrentDictionary<string, int[]> s_counters = new();

    public static void Enter(string runId)
    {
        var counter = s_counters.GetOrAdd(runId, static _ => new int[2]);
        var running = Interlocked.Increment(ref counter[0]);
        int max;
        while (running > (max = Volatile.Read(ref counter[1])) && Interlocked.CompareExchange(ref counter[1], running, max) != max)
        {
        }
    }

    public static void Exit(string runId) => Interlocked.Decrement(ref s_counters[runId][0]);

    public static int MaxRunning(string runId) => s_counters.TryGetValue(runId, out var counter) ? Volatile.Read(ref counter[1]) : 0;
}

/// <summary>A foreach large enough to be split into chunks when the tests lower the bound.</summary>
[Workflow(Durable = true)]
public sealed partial class SplitSquaresWorkflow
{
    [Step]
    public static IReadOnlyList<int> Numbers(int count) => Enumerable.Range(1, count).ToArray();

    [ParallelForEach(nameof(Numbers), MaxDegreeOfParallelism = 3)]
    public static async Task<int> SquareAsync(int number, string runId, StepContext context, CancellationToken cancellationToken)
    {
        SplitProbe.Enter(runId);
        try
        {
            await Task.Delay(5, cancellationToken);
            return number * number * 1_000 + context.Index;
        }
        finally
        {
            SplitProbe.Exit(runId);
        }
    }

    [Step]
    public static long Total(IReadOnlyList<int> square) => square.Sum(value => (long)value);
}

/// <summary>A continue-on-error foreach with failing items, split into chunks when the tests lower the bound.</summary>
[Workflow(Durable = true)]
public sealed partial class SplitOutcomesWorkflow
{
    [Step]
    public static IReadOnlyList<int> Numbers(int count) => Enumerable.Range(1, count).ToArray();

    [ParallelForEach(nameof(Numbers), MaxDegreeOfParallelism = 4, ContinueOnError = true, MinSuccessRate = 0.5)]
    public static int Check(int number) => number % 7 == 0 ? throw new InvalidOperationException($"{number} is a multiple of 7") : number;

    [Step]
    public static string Report(IReadOnlyList<Outcome<int>> check) =>
        string.Join(",", check.Select(outcome => outcome.IsSuccess ? outcome.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "x"));
}
