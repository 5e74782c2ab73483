namespace Flows.Internal;

/// <summary>
/// Where a foreach loop takes its items from. There is one small type per kind of source (<see cref="ListSource{TItem}"/>,
/// <see cref="EnumerableSource{TItem}"/>, <see cref="StreamSource{TItem}"/>), and the loop is generic over it, so that
/// it never asks which kind of source it has.
/// </summary>
/// <remarks>
/// <para>
/// Items are numbered from 0 in source order as they are taken: that number is the item's
/// <see cref="StepContext.Index"/> and the slot of its result.
/// </para>
/// <para>
/// Items are taken in batches: <see cref="StartBatch"/> sets where the current batch ends, and a take fails once the
/// batch is exhausted. <see cref="Position"/> and <see cref="IsExhausted"/> are read between batches, when no worker is
/// running; the take methods are called by several workers at once.
/// </para>
/// <para>
/// The list and the sequence are structs held in a field of the loop: the JIT specializes the loop for each and inlines
/// their members, and nothing is allocated for them. The stream is a class: its take awaits, and an async method of a
/// struct would update a copy of it.
/// </para>
/// </remarks>
internal interface IForEachSource<TItem>
{
    /// <summary>
    /// The number of items when the source knows it before the loop starts (a list, a collection); -1 otherwise.
    /// Each item's <see cref="StepContext.Count"/>.
    /// </summary>
    int Count { get; }

    /// <summary>Whether the source is read by index and has exactly <see cref="Count"/> items, so that results fit an array.</summary>
    bool IsIndexed { get; }

    /// <summary>Whether items are taken with <see cref="TakeAsync"/> (a stream) rather than <see cref="TryTake"/>.</summary>
    bool IsStream { get; }

    /// <summary>
    /// Between batches: how many items have been taken, which is where the next batch starts. Once the loop has run to
    /// its end, the number of items it had.
    /// </summary>
    int Position { get; }

    /// <summary>Between batches: whether the source is known to have no more items, or failed and must not be read again.</summary>
    bool IsExhausted { get; }

    /// <summary>Starts a batch of the items from <see cref="Position"/> up to, not including, <paramref name="end"/>.</summary>
    void StartBatch(int end);

    /// <summary>Takes the next item of the batch; false once the batch or the source is exhausted.</summary>
    /// <param name="sync">The loop's lock, under which a shared enumerator is read.</param>
    /// <param name="index">The item's number in source order.</param>
    /// <param name="item">The item.</param>
    bool TryTake(object sync, out int index, out TItem item);

    /// <summary>Takes the next item of the batch from a stream, one worker at a time; not taken once the batch or the stream is exhausted.</summary>
    /// <param name="sync">The loop's lock.</param>
    /// <param name="cancellationToken">The items' token: it cancels the wait for the stream and is handed to its enumerator.</param>
    ValueTask<(bool Taken, int Index, TItem Item)> TakeAsync(object sync, CancellationToken cancellationToken);

    /// <summary>Disposes the enumerator, if one was started. Called once, after the last worker has stopped.</summary>
    ValueTask ReleaseAsync();
}

/// <summary>A list or an array, read by index: one <see cref="Interlocked"/> increment per item and no lock.</summary>
internal struct ListSource<TItem> : IForEachSource<TItem>
{
    // The list, and its count read once when the loop starts.
    private readonly IReadOnlyList<TItem> _list;
    private readonly int _count;

    // The next index to hand out. A worker that finds the batch exhausted has still moved it on, so it may end past _end;
    // StartBatch moves it back to where the batch starts.
    private int _next;

    // The end of the current batch (exclusive). Between batches, where the next one starts: every index before it was handed out.
    private int _end;

    public ListSource(IReadOnlyList<TItem> list)
    {
        _list = list;
        _count = list.Count;
    }

    public readonly int Count => _count;

    public readonly bool IsIndexed => true;

    public readonly bool IsStream => false;

    public readonly int Position => _end;

    public readonly bool IsExhausted => _end >= _count;

    public void StartBatch(int end)
    {
        Invariants.That(end > _end && end <= _count, "A batch of a list covers the next items of the list.");
        _next = _end;
        _end = end;
    }

    public bool TryTake(object sync, out int index, out TItem item)
    {
        index = Interlocked.Increment(ref _next) - 1;
        if (index >= _end)
        {
            item = default!;
            return false;
        }

        item = _list[index];
        return true;
    }

    public readonly ValueTask<(bool Taken, int Index, TItem Item)> TakeAsync(object sync, CancellationToken cancellationToken) =>
        throw new NotSupportedException("A list is read by index: take its items with TryTake.");

    public readonly ValueTask ReleaseAsync() => default;
}

/// <summary>Any other sequence: one enumerator, read by one worker at a time under the loop's lock.</summary>
internal struct EnumerableSource<TItem> : IForEachSource<TItem>
{
    // The sequence, and its count when it is a collection (-1 otherwise). The count is only what the contexts report:
    // results grow with the items actually taken, should the collection change.
    private readonly IEnumerable<TItem> _enumerable;
    private readonly int _count;

    // Created by the first take. It, _taken and _exhausted are only touched under the loop's lock (or between batches).
    private IEnumerator<TItem>? _enumerator;

    // The number of items handed out: the next item's index.
    private int _taken;

    // The end of the current batch (exclusive).
    private int _end;

    // MoveNext returned false, or threw: the enumerator is not read again, by this worker or another.
    private bool _exhausted;

    public EnumerableSource(IEnumerable<TItem> enumerable)
    {
        _enumerable = enumerable;
        _count = (enumerable as IReadOnlyCollection<TItem>)?.Count
            ?? (enumerable as ICollection<TItem>)?.Count
            ?? -1;
    }

    public readonly int Count => _count;

    public readonly bool IsIndexed => false;

    public readonly bool IsStream => false;

    public readonly int Position => _taken;

    public readonly bool IsExhausted => _exhausted;

    public void StartBatch(int end)
    {
        Invariants.That(end >= _taken, "A batch of a sequence starts at its next item.");
        _end = end;
    }

    public bool TryTake(object sync, out int index, out TItem item)
    {
        lock (sync)
        {
            _enumerator ??= _enumerable.GetEnumerator();
            if (_exhausted || _taken >= _end || !MoveNext(_enumerator))
            {
                index = -1;
                item = default!;
                return false;
            }

            index = _taken++;
            item = _enumerator.Current;
            return true;
        }
    }

    private bool MoveNext(IEnumerator<TItem> enumerator)
    {
        bool moved;
        try
        {
            moved = enumerator.MoveNext();
        }
        catch
        {
            _exhausted = true;
            throw;
        }

        _exhausted |= !moved;
        return moved;
    }

    public readonly ValueTask<(bool Taken, int Index, TItem Item)> TakeAsync(object sync, CancellationToken cancellationToken) =>
        throw new NotSupportedException("A sequence is read synchronously: take its items with TryTake.");

    public readonly ValueTask ReleaseAsync()
    {
        _enumerator?.Dispose();
        return default;
    }
}

/// <summary>
/// A stream: one asynchronous enumerator, read by one worker at a time under an asynchronous gate. Items start as they
/// arrive; their count is not known.
/// </summary>
internal sealed class StreamSource<TItem> : IForEachSource<TItem>
{
    // The stream.
    private readonly IAsyncEnumerable<TItem> _stream;

    // Lets one worker at a time read the stream: created by the first take (under the loop's lock), disposed by ReleaseAsync.
    // Never null once a take has begun.
    private SemaphoreSlim? _gate;

    // Created by the first take, with the items' token. It, _taken and _exhausted are only touched under the gate
    // (or between batches).
    private IAsyncEnumerator<TItem>? _enumerator;

    // The number of items handed out: the next item's index.
    private int _taken;

    // The end of the current batch (exclusive).
    private int _end;

    // MoveNextAsync returned false.
    private bool _exhausted;

    public StreamSource(IAsyncEnumerable<TItem> stream) => _stream = stream;

    public int Count => -1;

    public bool IsIndexed => false;

    public bool IsStream => true;

    public int Position => _taken;

    public bool IsExhausted => _exhausted;

    public void StartBatch(int end)
    {
        Invariants.That(end >= _taken, "A batch of a stream starts at its next item.");
        _end = end;
    }

    public bool TryTake(object sync, out int index, out TItem item) =>
        throw new NotSupportedException("A stream is read asynchronously: take its items with TakeAsync.");

    public ValueTask<(bool Taken, int Index, TItem Item)> TakeAsync(object sync, CancellationToken cancellationToken)
    {
        lock (sync)
        {
            _gate ??= new SemaphoreSlim(1, 1);
        }

        return TakeUnderGateAsync(cancellationToken);
    }

    // Apart from TakeAsync so that its state machine, boxed whenever a take waits, holds only the token and the awaiters.
    private async ValueTask<(bool Taken, int Index, TItem Item)> TakeUnderGateAsync(CancellationToken cancellationToken)
    {
        await _gate!.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _enumerator ??= _stream.GetAsyncEnumerator(cancellationToken);
            if (_exhausted || _taken >= _end)
            {
                return (false, -1, default!);
            }

            if (!await _enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                _exhausted = true;
                return (false, -1, default!);
            }

            return (true, _taken++, _enumerator.Current);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask ReleaseAsync()
    {
        try
        {
            if (_enumerator is not null)
            {
                await _enumerator.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate?.Dispose();
        }
    }
}
