namespace Flows.IntegrationTests.Support;

/// <summary>Keeps a broken run from hanging the test run: every awaited run has a generous upper bound.</summary>
public static class Limits
{
    /// <summary>Far above anything a passing test needs; reaching it means a run hung.</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(15);

    /// <summary>How long a test watches for something that must not happen (a step that must not start).</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    public static Task OrTimeout(this ValueTask run) => run.AsTask().WaitAsync(Hang);

    public static Task<T> OrTimeout<T>(this ValueTask<T> run) => run.AsTask().WaitAsync(Hang);

    public static Task OrTimeout(this Task task) => task.WaitAsync(Hang);

    public static Task<T> OrTimeout<T>(this Task<T> task) => task.WaitAsync(Hang);

    /// <summary>
    /// Three 100 ms steps that overlap take about 100 ms; one after the other, 300 ms. Anything below this
    /// bound proves overlap, and leaves room for a slow, busy two-core machine.
    /// </summary>
    public static readonly TimeSpan OverlapBound = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The shortest of up to five timed runs, stopping at the first one under <see cref="OverlapBound"/>. Work that
    /// runs one step after another can never beat the bound, so retrying only absorbs a busy machine's hiccups.
    /// </summary>
    public static async Task<TimeSpan> FastestRun(Func<Task> run, TimeSpan? bound = null)
    {
        var fastest = TimeSpan.MaxValue;
        for (var attempt = 0; attempt < 5 && fastest >= (bound ?? OverlapBound); attempt++)
        {
            var stopwatch = Stopwatch.StartNew();
            await run().OrTimeout();
            stopwatch.Stop();
            if (stopwatch.Elapsed < fastest)
            {
                fastest = stopwatch.Elapsed;
            }
        }

        return fastest;
    }

    /// <summary>
    /// Blocking steps need as many pool threads as run at once; on a two-core machine the pool starts with two,
    /// and xunit's own work uses some. Raising the minimum keeps the overlap tests about Flows, not the pool's
    /// thread-injection delay.
    /// </summary>
    public static void EnsureThreadPoolThreads()
    {
        ThreadPool.GetMinThreads(out var worker, out var completion);
        if (worker < 32)
        {
            ThreadPool.SetMinThreads(32, completion);
        }
    }
}

/// <summary>Tests that measure elapsed time run alone, so that other tests do not compete for the two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Timing";
}
