using System.Collections.ObjectModel;
using System.IO;

namespace Flows.Runtime.Tests;

/// <summary>Every kind of source: arrays, lists, lazy sequences, streams; empty ones; ones that throw.</summary>
public sealed class ForEachSourceTests
{
    private static Body<int, int> Doubling(Concurrency? concurrency = null) => new(async (item, _, _) =>
    {
        concurrency?.Enter();
        await Task.Yield();
        concurrency?.Exit();
        return item * 2;
    });

    [Fact]
    public async Task An_array()
    {
        var results = await ForEach.OverListAsync<int, int, Body<int, int>>(new[] { 1, 2, 3, 4, 5 }, Doubling(), Engine.Options(2), null, default).OrTimeout();

        Assert.Equal(new[] { 2, 4, 6, 8, 10 }, results);
    }

    [Fact]
    public async Task A_List()
    {
        var results = await ForEach.OverListAsync<int, int, Body<int, int>>(new List<int> { 5, 4, 3 }, Doubling(), Engine.Options(2), null, default).OrTimeout();

        Assert.Equal(new[] { 10, 8, 6 }, results);
    }

    [Fact]
    public async Task A_read_only_list_that_is_not_a_List()
    {
        var source = new ReadOnlyCollection<int>(Enumerable.Range(0, 50).ToList());

        var results = await ForEach.OverListAsync<int, int, Body<int, int>>(source, Doubling(), Engine.Options(3), null, default).OrTimeout();

        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * 2), results);
    }

    [Fact]
    public async Task A_list_of_reference_items_and_results()
    {
        var source = new[] { "a", "bb", "ccc" };
        var body = new Body<string, string>((item, context, _) => new ValueTask<string>($"{context.Index}:{item.ToUpperInvariant()}"));

        var results = await ForEach.OverListAsync<string, string, Body<string, string>>(source, body, Engine.Options(2, runOnThreadPool: true), null, default).OrTimeout();

        Assert.Equal(new[] { "0:A", "1:BB", "2:CCC" }, results);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(-1, false)]
    [InlineData(4, true)]
    [InlineData(-1, true)]
    public async Task A_lazy_sequence_is_pulled_once_per_item_never_concurrently_and_disposed(int degree, bool onThreadPool)
    {
        var concurrency = new Concurrency();
        var source = new CheckedSequence<int>(Enumerable.Range(0, 200).ToArray())
        {
            // Widens the window in which a second worker would re-enter MoveNext.
            OnPull = () => Thread.SpinWait(200),
        };
        var body = new Body<int, int>((item, _, _) =>
        {
            concurrency.Enter();
            Thread.SpinWait(500);
            concurrency.Exit();
            return onThreadPool ? new ValueTask<int>(item * 2) : Yielded(item * 2);
        });

        var results = await ForEach.OverEnumerableAsync<int, int, Body<int, int>>(source, body, Engine.Options(degree, runOnThreadPool: onThreadPool), null, default).OrTimeout();

        Assert.Null(source.Violation);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => i * 2), results);
        Assert.Equal(200, source.Pulled);
        Assert.Equal(201, source.MoveNextCalls); // 200 items and the one call that found the end
        Assert.True(source.Disposed, "The enumerator was not disposed.");
        if (degree > 0)
        {
            Assert.True(concurrency.Max <= degree, $"{concurrency.Max} items ran at once with a degree of {degree}.");
        }

        static async ValueTask<int> Yielded(int value)
        {
            await Task.Yield();
            return value;
        }
    }

    [Fact]
    public async Task A_yield_iterator_is_pulled_lazily_as_workers_need_items()
    {
        var pulled = 0;
        var maxAheadOfCompleted = 0;
        var completed = 0;

        IEnumerable<int> Iterator()
        {
            for (var i = 0; i < 100; i++)
            {
                Interlocked.Increment(ref pulled);
                maxAheadOfCompleted = Math.Max(maxAheadOfCompleted, Volatile.Read(ref pulled) - Volatile.Read(ref completed));
                yield return i;
            }
        }

        var results = await ForEach.OverEnumerableAsync<int, int, Body<int, int>>(Iterator(), new Body<int, int>(async (item, _, _) =>
        {
            await Task.Yield();
            Interlocked.Increment(ref completed);
            return item;
        }), Engine.Options(3), null, default).OrTimeout();

        Assert.Equal(Enumerable.Range(0, 100), results);
        Assert.True(maxAheadOfCompleted <= 3, $"The sequence was read {maxAheadOfCompleted} items ahead of completed ones with a degree of 3: it is not pulled lazily.");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(-1)]
    public async Task A_stream_starts_items_before_it_ends(int degree)
    {
        var streamEnded = false;
        var startedBeforeEnd = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async IAsyncEnumerable<int> Stream()
        {
            for (var i = 0; i < 5; i++)
            {
                yield return i;
                await Task.Delay(5);
            }

            // The stream does not end until three items have started.
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(10));
            yield return 5;
            streamEnded = true;
        }

        var results = await ForEach.OverStreamAsync<int, int, Body<int, int>>(Stream(), new Body<int, int>((item, _, _) =>
        {
            if (!Volatile.Read(ref streamEnded) && Interlocked.Increment(ref startedBeforeEnd) == 3)
            {
                gate.TrySetResult();
            }

            return new ValueTask<int>(item * 3);
        }), Engine.Options(degree), null, default).OrTimeout();

        Assert.Equal(new[] { 0, 3, 6, 9, 12, 15 }, results);
        Assert.True(startedBeforeEnd >= 3);
    }

    [Fact]
    public async Task A_stream_is_read_by_one_worker_at_a_time_and_disposed()
    {
        var stream = new CheckedStream(Enumerable.Range(0, 100).ToArray());

        var results = await ForEach.OverStreamAsync<int, int, Body<int, int>>(stream, Doubling(), Engine.Options(8), null, default).OrTimeout();

        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 2), results);
        Assert.Null(stream.Violation);
        Assert.True(stream.Disposed);
    }

    [Theory]
    [MemberData(nameof(Engine.AllKinds), MemberType = typeof(Engine))]
    public async Task An_empty_source_runs_no_item_and_gives_no_result(SourceKind kind)
    {
        var calls = 0;
        Func<int, StepContext, CancellationToken, ValueTask<int>> body = (item, _, _) =>
        {
            Interlocked.Increment(ref calls);
            return new ValueTask<int>(item);
        };

        Assert.Empty(await Engine.Run(kind, Array.Empty<int>(), body, Engine.Options(4)).OrTimeout());
        Assert.Empty(await Engine.Run(kind, Array.Empty<int>(), body, Engine.Options(-1, runOnThreadPool: true)).OrTimeout());
        Assert.Empty(await Engine.RunWithOutcomes(kind, Array.Empty<int>(), body, Engine.Options(4, continueOnError: true, minSuccessRate: 1)).OrTimeout());
        Assert.Empty(await Engine.Run(kind, Array.Empty<int>(), body, Engine.Options(4, batchSize: 2, delayBetweenBatchesMilliseconds: 10_000)).OrTimeout());
        Assert.Empty(await Engine.Run(kind, Array.Empty<int>(), body, Engine.Options(4, maxItemsPerSecond: 1)).OrTimeout());
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task A_void_body_over_a_list_gives_no_results()
    {
        var seen = new ConcurrentBag<int>();
        var results = await ForEach.OverListAsync<int, NoResult, Body<int, NoResult>>(Enumerable.Range(0, 10).ToArray(), new Body<int, NoResult>((item, _, _) =>
        {
            seen.Add(item);
            return NoResult.From(Task.Delay(1));
        }), Engine.Options(3), null, default).OrTimeout();

        Assert.Equal(Enumerable.Range(0, 10), seen.Order());
        Assert.NotNull(results);
    }

    [Theory]
    [InlineData(1, false, false)]
    [InlineData(4, false, false)]
    [InlineData(4, true, false)]
    [InlineData(-1, true, false)]
    [InlineData(4, false, true)]
    public async Task A_sequence_whose_enumerator_throws_fails_the_step_with_that_exception_and_is_disposed(int degree, bool onThreadPool, bool continueOnError)
    {
        var failure = new InvalidDataException("The source broke.");
        var source = new CheckedSequence<int>(Enumerable.Range(0, 100).ToArray(), throwAt: 10, failure);
        var body = new Body<int, int>((item, _, _) => new ValueTask<int>(item));
        var options = Engine.Options(degree, runOnThreadPool: onThreadPool, continueOnError: continueOnError);

        var thrown = continueOnError
            ? await Assert.ThrowsAsync<InvalidDataException>(() => ForEach.OverEnumerableWithOutcomesAsync<int, int, Body<int, int>>(source, body, options, null, default).OrTimeout())
            : await Assert.ThrowsAsync<InvalidDataException>(() => ForEach.OverEnumerableAsync<int, int, Body<int, int>>(source, body, options, null, default).OrTimeout());

        Assert.Same(failure, thrown);
        Assert.True(source.Disposed, "The enumerator was not disposed.");
        Assert.Equal(10, source.Pulled);
    }

    [Fact]
    public async Task A_sequence_whose_GetEnumerator_throws_fails_the_step_with_that_exception()
    {
        var failure = new InvalidDataException("No enumerator.");

        var thrown = await Assert.ThrowsAsync<InvalidDataException>(() =>
            ForEach.OverEnumerableAsync<int, int, Body<int, int>>(new ThrowingEnumerable(failure), new Body<int, int>((item, _, _) => new ValueTask<int>(item)), Engine.Options(4), null, default).OrTimeout());

        Assert.Same(failure, thrown);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(-1, false)]
    [InlineData(4, true)]
    public async Task A_stream_that_throws_fails_the_step_with_that_exception_and_is_disposed(int degree, bool continueOnError)
    {
        var failure = new InvalidDataException("The stream broke.");
        var stream = new CheckedStream(Enumerable.Range(0, 100).ToArray(), throwAt: 7, failure);
        var body = new Body<int, int>((item, _, _) => new ValueTask<int>(item));
        var options = Engine.Options(degree, continueOnError: continueOnError);

        var thrown = continueOnError
            ? await Assert.ThrowsAsync<InvalidDataException>(() => ForEach.OverStreamWithOutcomesAsync<int, int, Body<int, int>>(stream, body, options, null, default).OrTimeout())
            : await Assert.ThrowsAsync<InvalidDataException>(() => ForEach.OverStreamAsync<int, int, Body<int, int>>(stream, body, options, null, default).OrTimeout());

        Assert.Same(failure, thrown);
        Assert.True(stream.Disposed, "The stream's enumerator was not disposed.");
        Assert.Null(stream.Violation);
    }

    [Fact]
    public async Task A_stream_that_throws_while_items_run_cancels_them()
    {
        var failure = new InvalidDataException("The stream broke.");
        var cancelled = 0;

        async IAsyncEnumerable<int> Stream()
        {
            yield return 0;
            yield return 1;
            await Task.Delay(50);
            throw failure;
        }

        var thrown = await Assert.ThrowsAsync<InvalidDataException>(() => ForEach.OverStreamAsync<int, int, Body<int, int>>(Stream(), new Body<int, int>(async (item, _, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
                return item;
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref cancelled);
                throw;
            }
        }), Engine.Options(4), null, default).OrTimeout());

        Assert.Same(failure, thrown);
        Assert.Equal(2, cancelled);
    }

    private sealed class ThrowingEnumerable(Exception exception) : IEnumerable<int>
    {
        public IEnumerator<int> GetEnumerator() => throw exception;

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>An asynchronous stream that records concurrent MoveNextAsync calls and disposal; it can throw at a position.</summary>
public sealed class CheckedStream(IReadOnlyList<int> items, int throwAt = -1, Exception? exception = null) : IAsyncEnumerable<int>
{
    private readonly IReadOnlyList<int> _items = items;
    private readonly int _throwAt = throwAt;
    private readonly Exception? _exception = exception;
    private int _inMoveNext;

    public bool Disposed;
    public string? Violation;

    public IAsyncEnumerator<int> GetAsyncEnumerator(CancellationToken cancellationToken = default) => new Enumerator(this);

    private sealed class Enumerator(CheckedStream owner) : IAsyncEnumerator<int>
    {
        private int _position = -1;

        public int Current => owner._items[_position];

        public async ValueTask<bool> MoveNextAsync()
        {
            if (Interlocked.Exchange(ref owner._inMoveNext, 1) != 0)
            {
                owner.Violation ??= "MoveNextAsync was called while another call was pending.";
            }

            try
            {
                await Task.Yield();
                if (_position + 1 == owner._throwAt)
                {
                    throw owner._exception!;
                }

                if (_position + 1 >= owner._items.Count)
                {
                    return false;
                }

                _position++;
                return true;
            }
            finally
            {
                Volatile.Write(ref owner._inMoveNext, 0);
            }
        }

        public ValueTask DisposeAsync()
        {
            if (Volatile.Read(ref owner._inMoveNext) != 0)
            {
                owner.Violation ??= "DisposeAsync was called while MoveNextAsync was pending.";
            }

            owner.Disposed = true;
            return default;
        }
    }
}
