namespace Flows.Runtime.Tests.Support;

/// <summary>A foreach body that calls a delegate: the tests' bodies are written as lambdas.</summary>
public readonly struct Body<TItem, TResult> : IForEachBody<TItem, TResult>
{
    private readonly Func<TItem, StepContext, CancellationToken, ValueTask<TResult>> _run;

    public Body(Func<TItem, StepContext, CancellationToken, ValueTask<TResult>> run) => _run = run;

    public ValueTask<TResult> InvokeAsync(TItem item, in StepContext context, CancellationToken cancellationToken) =>
        _run(item, context, cancellationToken);
}

/// <summary>The four shapes of source the engine accepts.</summary>
public enum SourceKind
{
    Array,
    List,
    Lazy,
    Stream,
}

/// <summary>Runs the engine over a source of a given shape.</summary>
public static class Engine
{
    public static ForEachOptions Options(
        int degree,
        bool runOnThreadPool = false,
        bool continueOnError = false,
        double minSuccessRate = 0,
        int batchSize = 0,
        int delayBetweenBatchesMilliseconds = 0,
        double maxItemsPerSecond = 0) =>
        new("TestWorkflow", "TestStep", degree, runOnThreadPool, continueOnError, minSuccessRate, batchSize, delayBetweenBatchesMilliseconds, maxItemsPerSecond);

    public static ValueTask<IReadOnlyList<TResult>> Run<TResult>(
        SourceKind kind, IReadOnlyList<int> items, Func<int, StepContext, CancellationToken, ValueTask<TResult>> body,
        ForEachOptions options, FlowControl? control = null, CancellationToken cancellationToken = default)
    {
        var b = new Body<int, TResult>(body);
        return kind switch
        {
            SourceKind.Array => ForEach.OverListAsync<int, TResult, Body<int, TResult>>(items.ToArray(), b, options, control, cancellationToken),
            SourceKind.List => ForEach.OverListAsync<int, TResult, Body<int, TResult>>(items.ToList(), b, options, control, cancellationToken),
            SourceKind.Lazy => ForEach.OverEnumerableAsync<int, TResult, Body<int, TResult>>(new CheckedSequence<int>(items), b, options, control, cancellationToken),
            _ => ForEach.OverStreamAsync<int, TResult, Body<int, TResult>>(Streams.Of(items), b, options, control, cancellationToken),
        };
    }

    public static ValueTask<IReadOnlyList<Outcome<TResult>>> RunWithOutcomes<TResult>(
        SourceKind kind, IReadOnlyList<int> items, Func<int, StepContext, CancellationToken, ValueTask<TResult>> body,
        ForEachOptions options, FlowControl? control = null, CancellationToken cancellationToken = default)
    {
        var b = new Body<int, TResult>(body);
        return kind switch
        {
            SourceKind.Array => ForEach.OverListWithOutcomesAsync<int, TResult, Body<int, TResult>>(items.ToArray(), b, options, control, cancellationToken),
            SourceKind.List => ForEach.OverListWithOutcomesAsync<int, TResult, Body<int, TResult>>(items.ToList(), b, options, control, cancellationToken),
            SourceKind.Lazy => ForEach.OverEnumerableWithOutcomesAsync<int, TResult, Body<int, TResult>>(new CheckedSequence<int>(items), b, options, control, cancellationToken),
            _ => ForEach.OverStreamWithOutcomesAsync<int, TResult, Body<int, TResult>>(Streams.Of(items), b, options, control, cancellationToken),
        };
    }

    public static IEnumerable<object[]> AllKinds() => Enum.GetValues<SourceKind>().Select(kind => new object[] { kind });

    /// <summary>Lists and sequences whose count is known up front report it; a lazy sequence and a stream do not.</summary>
    public static int ExpectedCount(SourceKind kind, int count) => kind is SourceKind.Array or SourceKind.List ? count : -1;
}

public static class Streams
{
    /// <summary>A stream that yields between items, so that it really is asynchronous.</summary>
    public static async IAsyncEnumerable<T> Of<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }
}

/// <summary>
/// A lazy sequence (not a collection: no count) that records how it is used: each item pulled once, MoveNext never
/// re-entered or called after it returned false, the enumerator disposed; it can throw at a given position.
/// </summary>
public sealed class CheckedSequence<T> : IEnumerable<T>
{
    private readonly IReadOnlyList<T> _items;
    private readonly int _throwAt;
    private readonly Exception? _exception;
    private int _inMoveNext;
    private int _enumerators;

    public CheckedSequence(IReadOnlyList<T> items, int throwAt = -1, Exception? exception = null)
    {
        _items = items;
        _throwAt = throwAt;
        _exception = exception;
    }

    public int Pulled;
    public int MoveNextCalls;
    public bool Disposed;
    public string? Violation;

    /// <summary>Optional work done inside MoveNext, to widen the window in which a second caller would re-enter.</summary>
    public Action? OnPull { get; init; }

    public IEnumerator<T> GetEnumerator()
    {
        if (Interlocked.Increment(ref _enumerators) > 1)
        {
            Violation ??= "GetEnumerator was called more than once.";
        }

        return new Enumerator(this);
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class Enumerator(CheckedSequence<T> owner) : IEnumerator<T>
    {
        private int _position = -1;
        private bool _ended;

        public T Current => owner._items[_position];

        object? System.Collections.IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (Interlocked.Exchange(ref owner._inMoveNext, 1) != 0)
            {
                owner.Violation ??= "MoveNext was re-entered: two workers pulled at once.";
            }

            try
            {
                Interlocked.Increment(ref owner.MoveNextCalls);
                if (owner.Disposed)
                {
                    owner.Violation ??= "MoveNext was called after Dispose.";
                }

                if (_ended)
                {
                    owner.Violation ??= "MoveNext was called again after it returned false.";
                    return false;
                }

                owner.OnPull?.Invoke();
                if (_position + 1 == owner._throwAt)
                {
                    _ended = true;
                    throw owner._exception!;
                }

                if (_position + 1 >= owner._items.Count)
                {
                    _ended = true;
                    return false;
                }

                _position++;
                Interlocked.Increment(ref owner.Pulled);
                return true;
            }
            finally
            {
                Volatile.Write(ref owner._inMoveNext, 0);
            }
        }

        public void Reset() => throw new NotSupportedException();

        public void Dispose() => owner.Disposed = true;
    }
}

/// <summary>Counts how many bodies run at once and remembers the most.</summary>
public sealed class Concurrency
{
    private int _current;
    private int _max;

    public int Max => Volatile.Read(ref _max);

    public int Current => Volatile.Read(ref _current);

    public void Enter()
    {
        var now = Interlocked.Increment(ref _current);
        int seen;
        while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
        {
        }
    }

    public void Exit() => Interlocked.Decrement(ref _current);
}

/// <summary>A thread-safe record of item starts and ends with their times.</summary>
public sealed class Timeline
{
    private readonly ConcurrentQueue<(int Index, long Start)> _starts = new();
    private readonly ConcurrentQueue<(int Index, long End)> _ends = new();

    public void Start(int index) => _starts.Enqueue((index, Stopwatch.GetTimestamp()));

    public void End(int index) => _ends.Enqueue((index, Stopwatch.GetTimestamp()));

    public IReadOnlyList<(int Index, long Start)> Starts => _starts.ToArray();

    public IReadOnlyList<(int Index, long End)> Ends => _ends.ToArray();

    public static double Milliseconds(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
}

public static class Limits
{
    /// <summary>Far above anything a passing test needs; reaching it means a run hung.</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(20);

    /// <summary>How long a test watches for something that must not happen.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(250);

    public static Task OrTimeout(this ValueTask run) => run.AsTask().WaitAsync(Hang);

    public static Task<T> OrTimeout<T>(this ValueTask<T> run) => run.AsTask().WaitAsync(Hang);

    public static Task OrTimeout(this Task task) => task.WaitAsync(Hang);

    public static Task<T> OrTimeout<T>(this Task<T> task) => task.WaitAsync(Hang);

    /// <summary>Blocking bodies need as many pool threads as run at once; a two-core machine starts with two.</summary>
    public static void EnsureThreadPoolThreads()
    {
        ThreadPool.GetMinThreads(out var worker, out var completion);
        if (worker < 64)
        {
            ThreadPool.SetMinThreads(64, completion);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, or fails the test after <see cref="Hang"/>.</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > Hang)
            {
                Assert.Fail("Timed out waiting until " + what);
            }

            await Task.Delay(2);
        }
    }
}

/// <summary>Tests that measure elapsed time or watch for things that must not happen run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Timing";
}

/// <summary>An exception type of the tests' own, so that "the original type" is checkable.</summary>
public sealed class ItemFailedException(int index) : Exception($"Item {index} failed.")
{
    public int Index { get; } = index;
}
