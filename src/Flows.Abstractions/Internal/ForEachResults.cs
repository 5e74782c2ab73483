namespace Flows.Internal;

/// <summary>
/// What a foreach loop's items produced: each item's value in its slot, in source order whatever order items finish in,
/// and, with continue-on-error, each failed item's exception. The one place that knows how results are kept; a field
/// of the loop, so it costs no object of its own.
/// </summary>
/// <remarks>
/// Workers call <see cref="Store"/> and <see cref="RecordFailure"/>, at most one of them once per item; the loop reads
/// the results only after its last worker has stopped.
/// </remarks>
internal struct ForEachResults<TResult>
{
    // False when the body returns nothing (NoResult): then nothing is stored, and the results are an empty list.
    private static readonly bool s_collects = typeof(TResult) != typeof(NoResult);

    // The results of an indexed source (a list): one slot per item, allocated up front. Each slot is written, without a
    // lock, by the one worker that ran its item.
    private TResult[]? _slots;

    // The results of a sequence or a stream, whose length is not known up front: grown to each stored item's index, under
    // the loop's lock. An item that failed (continue-on-error) keeps the default value in its slot.
    private List<TResult>? _growing;

    // With continue-on-error: the failed items, in the order they failed, under the loop's lock. Null while none failed.
    private List<(int Index, Exception Exception)>? _failures;

    /// <summary>Allocates the results before the first item starts.</summary>
    /// <param name="count">The source's count, or -1 when unknown.</param>
    /// <param name="indexed">Whether the source has exactly <paramref name="count"/> items, read by index.</param>
    public void Prepare(int count, bool indexed)
    {
        if (!s_collects)
        {
            return;
        }

        if (indexed)
        {
            _slots = count == 0 ? Array.Empty<TResult>() : new TResult[count];
        }
        else
        {
            _growing = count >= 0 ? new List<TResult>(count) : new List<TResult>();
        }
    }

    /// <summary>Stores the value of the item at <paramref name="index"/>.</summary>
    /// <param name="index">The item's number in source order.</param>
    /// <param name="value">Its value.</param>
    /// <param name="sync">The loop's lock, which guards a growing list.</param>
    public readonly void Store(int index, TResult value, object sync)
    {
        if (!s_collects)
        {
            return;
        }

        if (_slots is not null)
        {
            _slots[index] = value;
            return;
        }

        lock (sync)
        {
            var growing = _growing!;
            while (growing.Count <= index)
            {
                growing.Add(default!);
            }

            growing[index] = value;
        }
    }

    /// <summary>Records that the item at <paramref name="index"/> failed (continue-on-error).</summary>
    public void RecordFailure(int index, Exception exception, object sync)
    {
        lock (sync)
        {
            (_failures ??= new List<(int, Exception)>()).Add((index, exception));
        }
    }

    /// <summary>
    /// With continue-on-error and a minimum success rate: throws an <see cref="AggregateException"/> of the failures, in
    /// item order, when fewer than that share of the <paramref name="count"/> items succeeded.
    /// </summary>
    public readonly void ThrowIfTooFewSucceeded(int count, double minSuccessRate, string step)
    {
        if (_failures is not { Count: > 0 } failures)
        {
            return;
        }

        var successes = count - failures.Count;
        Invariants.NotNegative(successes, "The number of items that succeeded");
        if (minSuccessRate > 0 && successes < minSuccessRate * count)
        {
            failures.Sort(static (a, b) => a.Index.CompareTo(b.Index));
            throw new AggregateException(
                $"Step '{step}': {successes} of {count} items succeeded, fewer than the minimum success rate of {minSuccessRate:P0}.",
                failures.Select(static f => f.Exception));
        }
    }

    /// <summary>The values of the <paramref name="count"/> items, in source order.</summary>
    public readonly IReadOnlyList<TResult> ToResults(int count)
    {
        if (_slots is not null)
        {
            Invariants.That(_slots.Length == count, "An indexed source has a slot for each of its items.");
            return _slots;
        }

        if (_growing is not null)
        {
            Grow(_growing, count);
            return _growing;
        }

        return Array.Empty<TResult>();
    }

    /// <summary>The outcomes of the <paramref name="count"/> items, in source order: each failed item's exception, every other item's value.</summary>
    public readonly IReadOnlyList<Outcome<TResult>> ToOutcomes(int count)
    {
        if (_growing is not null)
        {
            Grow(_growing, count);
        }

        var outcomes = new Outcome<TResult>[count];
        var failed = new bool[count];
        if (_failures is not null)
        {
            foreach (var (index, exception) in _failures)
            {
                Invariants.That(!failed[index], "An item fails at most once.");
                outcomes[index] = Outcome<TResult>.Failure(exception);
                failed[index] = true;
            }
        }

        for (var i = 0; i < count; i++)
        {
            if (!failed[i])
            {
                outcomes[i] = Outcome<TResult>.Success(s_collects ? ValueAt(i) : default!);
            }
        }

        return outcomes;
    }

    private readonly TResult ValueAt(int index) => _slots is not null ? _slots[index] : _growing![index];

    // A growing list ends with one slot per item taken, like an array: items at the end that failed get the default value.
    private static void Grow(List<TResult> results, int count)
    {
        Invariants.That(results.Count <= count, "No result is stored past the last item taken.");
        while (results.Count < count)
        {
            results.Add(default!);
        }
    }
}
