namespace Flows.Runtime.Tests;

/// <summary>
/// The randomized fault-injection bar of DESIGN.md: many seeded runs with random sources, sizes, degrees, delays,
/// failures, cancellations and policies. Every run must end with the result or the exception the semantics
/// prescribe; concurrency never above the degree; every item run at most once (exactly once when the run
/// completes); no item started after the run returned; no unobserved task exception.
/// </summary>
/// <remarks>
/// A failing run prints its seed. The parameters of a seed are deterministic (the timing is not): replay one with
/// <c>FLOWS_FAULT_SEED=1234 dotnet test --filter FullyQualifiedName~FaultInjection</c>.
/// </remarks>
[Collection(TimingCollection.Name)]
public sealed class FaultInjectionTests
{
    private const int Runs = 2000;
    private const int RunsAtOnce = 4;

    public FaultInjectionTests() => Limits.EnsureThreadPoolThreads();

    [Fact]
    public async Task Seeded_random_runs_end_as_the_semantics_prescribe()
    {
        var seeds = Environment.GetEnvironmentVariable("FLOWS_FAULT_SEED") is { Length: > 0 } only
            ? new[] { int.Parse(only, System.Globalization.CultureInfo.InvariantCulture) }
            : Enumerable.Range(0, Runs).ToArray();
        var unobserved = new ConcurrentQueue<Exception>();
        EventHandler<UnobservedTaskExceptionEventArgs> onUnobserved = (_, e) => unobserved.Enqueue(e.Exception);
        var problems = new ConcurrentQueue<string>();
        var lateStarts = new ConcurrentQueue<string>();

        TaskScheduler.UnobservedTaskException += onUnobserved;
        try
        {
            var stopwatch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(seeds, new ParallelOptions { MaxDegreeOfParallelism = RunsAtOnce }, async (seed, _) =>
            {
                try
                {
                    foreach (var problem in await RunOnce(seed, lateStarts).WaitAsync(Limits.Hang))
                    {
                        problems.Enqueue($"seed {seed}: {problem}");
                    }
                }
                catch (Exception exception)
                {
                    problems.Enqueue($"seed {seed}: the run hung or the harness failed: {exception}");
                }
            });

            // A worker that outlived its run would start an item now.
            await Task.Delay(200);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            GC.WaitForPendingFinalizers();

            var all = problems.Concat(lateStarts).ToArray();
            Assert.True(all.Length == 0, $"{all.Length} problems in {seeds.Length} runs ({stopwatch.Elapsed.TotalSeconds:0.0} s):\n" + string.Join("\n", all.Take(20)));
            Assert.True(unobserved.IsEmpty, "Unobserved task exceptions:\n" + string.Join("\n", unobserved.Take(5)));
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= onUnobserved;
        }
    }

    private enum Pace
    {
        Synchronous,
        Yield,
        Spin,
        Sleep,
        Delay,
        DelayObservingToken,
    }

    private enum Cancel
    {
        Never,
        AfterTime,
        InsideItem,
        Before,
    }

    private sealed record Plan(
        SourceKind Kind,
        int Count,
        int Degree,
        bool OnThreadPool,
        bool ContinueOnError,
        double MinSuccessRate,
        int BatchSize,
        int BatchDelay,
        double MaxItemsPerSecond,
        bool Paused,
        Cancel Cancel,
        int CancelAfterMilliseconds,
        int CancelAtItem,
        Pace[] Paces,
        int[] Milliseconds,
        bool[] Fails)
    {
        public static Plan From(int seed)
        {
            var random = new Random(seed);
            var kind = (SourceKind)random.Next(4);
            var count = random.Next(8) == 0 ? random.Next(0, 3) : random.Next(0, 201);
            var degree = random.Next(6) == 0 ? -1 : random.Next(1, 9);
            var onThreadPool = random.Next(3) == 0;
            var continueOnError = random.Next(3) == 0;
            var minSuccessRate = continueOnError && random.Next(2) == 0 ? random.Next(50, 101) / 100.0 : 0;
            var batchSize = random.Next(8) == 0 ? random.Next(1, 40) : 0;
            var batchDelay = batchSize > 0 && random.Next(2) == 0 ? random.Next(1, 4) : 0;
            var maxItemsPerSecond = random.Next(16) == 0 ? random.Next(2000, 10000) : 0;
            var paused = random.Next(10) == 0;
            var cancel = random.Next(10) switch
            {
                < 6 => Cancel.Never,
                < 8 => Cancel.AfterTime,
                < 9 => Cancel.InsideItem,
                _ => Cancel.Before,
            };
            var failureRate = random.Next(4) switch
            {
                0 => 0,
                1 => 0.005,
                2 => 0.03,
                _ => 0.2,
            };

            var paces = new Pace[count];
            var milliseconds = new int[count];
            var fails = new bool[count];
            for (var i = 0; i < count; i++)
            {
                var roll = random.Next(100);
                paces[i] = roll switch
                {
                    < 45 => Pace.Synchronous,
                    < 70 => Pace.Yield,
                    < 80 => Pace.Spin,
                    < 85 => Pace.Sleep,
                    < 93 => Pace.Delay,
                    _ => Pace.DelayObservingToken,
                };
                milliseconds[i] = random.Next(0, 4);
                fails[i] = random.NextDouble() < failureRate;
            }

            return new Plan(kind, count, degree, onThreadPool, continueOnError, minSuccessRate, batchSize, batchDelay, maxItemsPerSecond, paused,
                cancel, random.Next(0, 25), count == 0 ? 0 : random.Next(count), paces, milliseconds, fails);
        }

        public override string ToString() =>
            $"{Kind}, {Count} items, degree {Degree}, {(OnThreadPool ? "synchronous" : "asynchronous")}, " +
            $"{(ContinueOnError ? $"continue-on-error (min rate {MinSuccessRate})" : "fail-fast")}, batch {BatchSize}/{BatchDelay} ms, " +
            $"rate {MaxItemsPerSecond}, paused {Paused}, cancel {Cancel} ({CancelAfterMilliseconds} ms, item {CancelAtItem}), failing items [{string.Join(", ", Enumerable.Range(0, Count).Where(i => Fails[i]))}]";
    }

    private static async Task<List<string>> RunOnce(int seed, ConcurrentQueue<string> lateStarts)
    {
        var plan = Plan.From(seed);
        var problems = new List<string>();
        var runs = new int[plan.Count];
        var thrown = new Exception?[plan.Count];
        var concurrency = new Concurrency();
        var returned = 0;
        using var cts = new CancellationTokenSource();
        var control = plan.Paused ? new FlowControl() : null;
        Task canceller = Task.CompletedTask;
        Task resumer = Task.CompletedTask;

        if (plan.Cancel == Cancel.Before)
        {
            cts.Cancel();
        }

        ValueTask<int> Body(int item, StepContext context, CancellationToken ct)
        {
            if (Volatile.Read(ref returned) != 0)
            {
                lateStarts.Enqueue($"seed {seed}: item {item} started after the run had returned. Plan: {plan}");
            }

            if (context.Index != item)
            {
                lock (problems)
                {
                    problems.Add($"item {item} had index {context.Index}");
                }
            }

            Interlocked.Increment(ref runs[item]);
            concurrency.Enter();
            if (plan.Cancel == Cancel.InsideItem && item == plan.CancelAtItem)
            {
                cts.Cancel();
            }

            if (plan.Paused && item == plan.CancelAtItem / 2)
            {
                control!.Pause();
                resumer = Task.Delay(plan.Milliseconds[item] + 1).ContinueWith(_ => control.Resume(), TaskScheduler.Default);
            }

            if (plan.OnThreadPool)
            {
                try
                {
                    switch (plan.Paces[item])
                    {
                        case Pace.Spin:
                            Thread.SpinWait(2000);
                            break;
                        case Pace.Sleep or Pace.Delay:
                            Thread.Sleep(plan.Milliseconds[item] / 2);
                            break;
                        case Pace.DelayObservingToken:
                            ct.WaitHandle.WaitOne(plan.Milliseconds[item]);
                            ct.ThrowIfCancellationRequested();
                            break;
                    }

                    return new ValueTask<int>(Finish(item));
                }
                finally
                {
                    concurrency.Exit();
                }
            }

            return BodyAsync(item, ct);
        }

        async ValueTask<int> BodyAsync(int item, CancellationToken ct)
        {
            try
            {
                switch (plan.Paces[item])
                {
                    case Pace.Yield:
                        await Task.Yield();
                        break;
                    case Pace.Spin:
                        Thread.SpinWait(2000);
                        break;
                    case Pace.Sleep:
                        await Task.Delay(plan.Milliseconds[item], CancellationToken.None);
                        break;
                    case Pace.Delay:
                        await Task.Delay(plan.Milliseconds[item] + 1, CancellationToken.None);
                        break;
                    case Pace.DelayObservingToken:
                        await Task.Delay(plan.Milliseconds[item] + 1, ct);
                        break;
                }

                return Finish(item);
            }
            finally
            {
                concurrency.Exit();
            }
        }

        // Kept out of line, so that a Release build's stack trace still names it.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        int Finish(int item)
        {
            if (plan.Fails[item])
            {
                var exception = new ItemFailedException(item);
                Volatile.Write(ref thrown[item], exception);
                throw exception;
            }

            return item * 2 + 1;
        }

        var items = Enumerable.Range(0, plan.Count).ToArray();
        var options = Engine.Options(plan.Degree, plan.OnThreadPool, plan.ContinueOnError, plan.MinSuccessRate, plan.BatchSize, plan.BatchDelay, plan.MaxItemsPerSecond);
        if (plan.Cancel == Cancel.AfterTime)
        {
            canceller = Task.Delay(plan.CancelAfterMilliseconds).ContinueWith(_ => cts.Cancel(), TaskScheduler.Default);
        }

        IReadOnlyList<int>? results = null;
        IReadOnlyList<Outcome<int>>? outcomes = null;
        Exception? failure = null;
        bool cancelled;
        try
        {
            if (plan.ContinueOnError)
            {
                outcomes = await Engine.RunWithOutcomes<int>(plan.Kind, items, Body, options, control, cts.Token);
            }
            else
            {
                results = await Engine.Run<int>(plan.Kind, items, Body, options, control, cts.Token);
            }
        }
        catch (Exception exception)
        {
            failure = exception;
        }
        finally
        {
            cancelled = cts.IsCancellationRequested;
            Volatile.Write(ref returned, 1);
        }

        await canceller;
        await resumer;
        control?.Resume();

        void Problem(string text) => problems.Add($"{text}. Plan: {plan}");

        if (plan.Degree > 0 && concurrency.Max > plan.Degree)
        {
            Problem($"{concurrency.Max} items ran at once; the degree is {plan.Degree}");
        }

        if (plan.BatchSize > 0 && concurrency.Max > plan.BatchSize)
        {
            Problem($"{concurrency.Max} items ran at once; batches hold {plan.BatchSize}");
        }

        if (concurrency.Current != 0)
        {
            Problem($"{concurrency.Current} items were still running when the run returned");
        }

        for (var i = 0; i < plan.Count; i++)
        {
            if (runs[i] > 1)
            {
                Problem($"item {i} ran {runs[i]} times");
            }
        }

        void AllRanOnce()
        {
            var missing = Enumerable.Range(0, plan.Count).Where(i => runs[i] != 1).ToArray();
            if (missing.Length > 0)
            {
                Problem($"the run completed but items [{string.Join(", ", missing.Take(10))}] did not run exactly once");
            }
        }

        lock (problems)
        {
            // A cancellation that certainly came before the run ended (before it started, or from inside an item that
            // ran) ends it with OperationCanceledException, whatever the items did: also when one had failed.
            var cancelledDuringRun = plan.Cancel == Cancel.Before || (plan.Cancel == Cancel.InsideItem && plan.Count > 0 && runs[plan.CancelAtItem] > 0);
            if (cancelledDuringRun && failure is not OperationCanceledException)
            {
                Problem($"the caller cancelled during the run, which ended with {failure?.GetType().Name ?? "a result"}, not OperationCanceledException");
            }

            switch (failure)
            {
                case null when plan.ContinueOnError:
                    AllRanOnce();
                    if (outcomes!.Count != plan.Count)
                    {
                        Problem($"{outcomes.Count} outcomes for {plan.Count} items");
                        break;
                    }

                    for (var i = 0; i < plan.Count; i++)
                    {
                        if (plan.Fails[i] != !outcomes[i].IsSuccess)
                        {
                            Problem($"item {i}: outcome {outcomes[i]}, but the item {(plan.Fails[i] ? "failed" : "succeeded")}");
                        }
                        else if (plan.Fails[i] && !ReferenceEquals(outcomes[i].Exception, thrown[i]))
                        {
                            Problem($"item {i}: the outcome holds {outcomes[i].Exception}, not the exception the item threw");
                        }
                        else if (!plan.Fails[i] && outcomes[i].Value != i * 2 + 1)
                        {
                            Problem($"item {i}: value {outcomes[i].Value}");
                        }
                    }

                    var successes = plan.Fails.Count(f => !f);
                    if (plan.MinSuccessRate > 0 && successes < plan.MinSuccessRate * plan.Count)
                    {
                        Problem($"{successes} of {plan.Count} succeeded, below the minimum rate {plan.MinSuccessRate}, yet no exception");
                    }

                    break;

                case null:
                    AllRanOnce();
                    if (plan.Fails.Any(f => f))
                    {
                        Problem("items failed, yet the fail-fast run succeeded");
                    }
                    else if (!results!.SequenceEqual(items.Select(i => i * 2 + 1)))
                    {
                        Problem($"results out of order or wrong: [{string.Join(", ", results!.Take(10))}...]");
                    }

                    break;

                case OperationCanceledException when cancelled:
                    break;

                case OperationCanceledException:
                    Problem($"OperationCanceledException, but the caller never cancelled: {failure}");
                    break;

                case ItemFailedException itemFailure when !plan.ContinueOnError:
                    if (!ReferenceEquals(itemFailure, thrown[itemFailure.Index]))
                    {
                        Problem($"the run threw an ItemFailedException for item {itemFailure.Index} that is not the one the item threw");
                    }

                    if (!(failure.StackTrace ?? string.Empty).Contains(nameof(Finish)))
                    {
                        Problem($"the rethrown exception lost its original stack: {failure.StackTrace}");
                    }

                    break;

                case AggregateException aggregate when plan.ContinueOnError && plan.MinSuccessRate > 0 && !cancelled:
                    AllRanOnce();
                    var failed = Enumerable.Range(0, plan.Count).Where(i => plan.Fails[i]).ToArray();
                    var inner = aggregate.InnerExceptions.ToArray();
                    if (!inner.SequenceEqual(failed.Select(i => thrown[i]!)))
                    {
                        Problem($"the AggregateException lists [{string.Join(", ", inner.Select(e => (e as ItemFailedException)?.Index))}], the failed items were [{string.Join(", ", failed)}]");
                    }

                    if (plan.Count - failed.Length >= plan.MinSuccessRate * plan.Count)
                    {
                        Problem($"{plan.Count - failed.Length} of {plan.Count} succeeded, enough for the minimum rate {plan.MinSuccessRate}, yet the run failed");
                    }

                    break;

                default:
                    Problem($"unexpected outcome (cancelled: {cancelled}): {failure}");
                    break;
            }
        }

        return problems;
    }
}
