namespace Flows.Runtime.Tests;

/// <summary>
/// The foreach engine's parts on their own: each kind of source handing out items batch by batch, and the results.
/// The engine's behaviour as a whole is in the other ForEach*Tests.
/// </summary>
public sealed class ForEachPartsTests
{
    private static readonly object Sync = new();

    [Fact]
    public void A_list_hands_out_each_index_of_a_batch_once_and_starts_the_next_batch_where_it_ended()
    {
        var source = new ListSource<string>(new[] { "a", "b", "c", "d", "e" });
        Assert.Equal((5, true, false, 0, false), (source.Count, source.IsIndexed, source.IsStream, source.Position, source.IsExhausted));

        source.StartBatch(3);
        Assert.Equal(new[] { (0, "a"), (1, "b"), (2, "c") }, TakeAll(ref source));

        // Workers that found the batch exhausted moved the next index past its end: the next batch still starts at 3.
        Assert.False(source.TryTake(Sync, out _, out _));
        Assert.Equal((3, false), (source.Position, source.IsExhausted));

        source.StartBatch(5);
        Assert.Equal(new[] { (3, "d"), (4, "e") }, TakeAll(ref source));
        Assert.Equal((5, true), (source.Position, source.IsExhausted));
    }

    [Fact]
    public async Task A_sequence_is_read_no_further_than_its_batch_and_disposed_once_released()
    {
        var sequence = new CountingSequence(5);
        var source = new EnumerableSource<int>(sequence);
        Assert.Equal((-1, false, false), (source.Count, source.IsIndexed, source.IsStream));

        source.StartBatch(2);
        Assert.Equal(new[] { (0, 0), (1, 1) }, TakeAll(ref source));
        Assert.Equal((2, 2, false), (sequence.Pulled, source.Position, source.IsExhausted));

        source.StartBatch(10);
        Assert.Equal(new[] { (2, 2), (3, 3), (4, 4) }, TakeAll(ref source));
        Assert.Equal((5, true), (source.Position, source.IsExhausted));

        await source.ReleaseAsync();
        Assert.True(sequence.Disposed);
    }

    [Fact]
    public void A_collection_reports_its_count_and_a_sequence_that_threw_is_not_read_again()
    {
        Assert.Equal(3, new EnumerableSource<int>(new HashSet<int> { 1, 2, 3 }).Count);

        var source = new EnumerableSource<int>(Throwing());
        source.StartBatch(10);
        Assert.True(source.TryTake(Sync, out var index, out var item));
        Assert.Equal((0, 1), (index, item));
        Assert.Throws<InvalidOperationException>(() => source.TryTake(Sync, out _, out _));
        Assert.True(source.IsExhausted);
        Assert.False(source.TryTake(Sync, out _, out _));

        static IEnumerable<int> Throwing()
        {
            yield return 1;
            throw new InvalidOperationException("source");
        }
    }

    [Fact]
    public async Task A_stream_hands_out_items_batch_by_batch_and_is_disposed_once_released()
    {
        var disposed = false;
        var source = new StreamSource<int>(Stream(3, () => disposed = true));
        Assert.Equal((-1, false, true), (source.Count, source.IsIndexed, source.IsStream));

        source.StartBatch(2);
        Assert.Equal((true, 0, 10), await source.TakeAsync(Sync, default));
        Assert.Equal((true, 1, 11), await source.TakeAsync(Sync, default));
        Assert.False((await source.TakeAsync(Sync, default)).Taken);
        Assert.Equal((2, false), (source.Position, source.IsExhausted));

        source.StartBatch(10);
        Assert.Equal((true, 2, 12), await source.TakeAsync(Sync, default));
        Assert.False((await source.TakeAsync(Sync, default)).Taken);
        Assert.Equal((3, true), (source.Position, source.IsExhausted));

        await source.ReleaseAsync();
        Assert.True(disposed);

        static async IAsyncEnumerable<int> Stream(int count, Action onDisposed)
        {
            try
            {
                for (var i = 0; i < count; i++)
                {
                    await Task.Yield();
                    yield return 10 + i;
                }
            }
            finally
            {
                onDisposed();
            }
        }
    }

    [Fact]
    public void Results_of_a_sequence_are_in_source_order_whatever_order_they_are_stored_in_with_a_slot_for_a_failed_last_item()
    {
        var results = default(ForEachResults<string>);
        results.Prepare(-1, indexed: false);
        results.Store(2, "c", Sync);
        results.Store(0, "a", Sync);
        results.Store(1, "b", Sync);
        var failure = new InvalidOperationException("d");
        results.RecordFailure(3, failure, Sync);

        var outcomes = results.ToOutcomes(4);
        Assert.Equal(new[] { "a", "b", "c" }, outcomes.Take(3).Select(o => o.Value));
        Assert.Same(failure, outcomes[3].Exception);
        Assert.Equal<IEnumerable<string?>>(new[] { "a", "b", "c", null }, results.ToResults(4));
    }

    [Fact]
    public void Results_of_a_list_fill_its_slots_and_a_body_without_result_keeps_none()
    {
        var results = default(ForEachResults<int>);
        results.Prepare(3, indexed: true);
        results.Store(1, 20, Sync);
        results.Store(0, 10, Sync);
        results.Store(2, 30, Sync);
        Assert.Equal(new[] { 10, 20, 30 }, results.ToResults(3));

        var none = default(ForEachResults<NoResult>);
        none.Prepare(3, indexed: true);
        none.Store(0, default, Sync);
        Assert.Empty(none.ToResults(3));
        Assert.Equal(3, none.ToOutcomes(3).Count(o => o.IsSuccess));
    }

    [Fact]
    public void Too_few_successes_throw_the_failures_in_item_order()
    {
        var results = default(ForEachResults<int>);
        results.Prepare(4, indexed: true);
        var late = new InvalidOperationException("3");
        var early = new InvalidOperationException("1");
        results.RecordFailure(3, late, Sync);
        results.RecordFailure(1, early, Sync);

        results.ThrowIfTooFewSucceeded(4, 0.5, "Step");
        var error = Assert.Throws<AggregateException>(() => results.ThrowIfTooFewSucceeded(4, 0.75, "Step"));
        Assert.Equal(new[] { early, late }, error.InnerExceptions);
        Assert.Contains("2 of 4 items succeeded", error.Message);
    }

    [Fact]
    public async Task Continue_on_error_over_a_sequence_whose_last_item_fails_gives_a_result_slot_and_an_outcome_per_item()
    {
        var body = new Body<int, int>((item, _, _) => item == 4 ? throw new InvalidOperationException("last") : new ValueTask<int>(item * 10));
        var options = Engine.Options(3, runOnThreadPool: true, continueOnError: true);

        var results = await ForEach.OverEnumerableAsync<int, int, Body<int, int>>(Enumerable.Range(0, 5).Select(i => i), body, options, null, default).OrTimeout();
        var outcomes = await ForEach.OverEnumerableWithOutcomesAsync<int, int, Body<int, int>>(Enumerable.Range(0, 5).Select(i => i), body, options, null, default).OrTimeout();

        Assert.Equal(new[] { 0, 10, 20, 30, 0 }, results);
        Assert.Equal(new[] { true, true, true, true, false }, outcomes.Select(o => o.IsSuccess));
    }

    private static List<(int Index, TItem Item)> TakeAll<TItem, TSource>(ref TSource source)
        where TSource : IForEachSource<TItem>
    {
        var taken = new List<(int, TItem)>();
        while (source.TryTake(Sync, out var index, out var item))
        {
            taken.Add((index, item));
        }

        return taken;
    }

    private static List<(int Index, string Item)> TakeAll(ref ListSource<string> source) => TakeAll<string, ListSource<string>>(ref source);

    private static List<(int Index, int Item)> TakeAll(ref EnumerableSource<int> source) => TakeAll<int, EnumerableSource<int>>(ref source);

    // A lazy sequence that counts the items pulled from it and whether it was disposed.
    private sealed class CountingSequence(int count) : IEnumerable<int>
    {
        public int Pulled { get; private set; }

        public bool Disposed { get; private set; }

        public IEnumerator<int> GetEnumerator()
        {
            try
            {
                for (var i = 0; i < count; i++)
                {
                    Pulled++;
                    yield return i;
                }
            }
            finally
            {
                Disposed = true;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
