using System.ComponentModel;

namespace Flows.Internal;

/// <summary>
/// Runs a <c>[ParallelForEach]</c> step: a fixed pool of workers takes items one after another, so the
/// orchestration costs per loop, not per item. Generated code calls it; not meant to be called by user code.
/// </summary>
/// <remarks>
/// Results are in source order whatever order items finish in. No more than
/// <see cref="ForEachOptions.MaxDegreeOfParallelism"/> items run at once. With fail-fast (the default) the first
/// failure stops new items, cancels running ones and is rethrown, with its original type and stack, once every
/// running item has stopped. A cancelled run starts no item after it has seen the cancellation.
/// In an observed run (an <c>observer</c> is passed) the step and each of its items are observed for traces,
/// metrics and the timeline.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ForEach
{
    /// <summary>Runs <paramref name="body"/> over a list or an array, by index.</summary>
    public static ValueTask<IReadOnlyList<TResult>> OverListAsync<TItem, TResult, TBody>(
        IReadOnlyList<TItem> source, TBody body, ForEachOptions options, FlowControl? control, CancellationToken cancellationToken, RunObserver? observer = null)
        where TBody : IForEachBody<TItem, TResult>
    {
        ArgumentNullException.ThrowIfNull(source);
        return ResultsAsync(new ForEachLoop<TItem, TResult, TBody, ListSource<TItem>>(body, options, control, cancellationToken, new(source), observer));
    }

    /// <summary>Runs <paramref name="body"/> over any other sequence, pulling items one at a time under a lock.</summary>
    public static ValueTask<IReadOnlyList<TResult>> OverEnumerableAsync<TItem, TResult, TBody>(
        IEnumerable<TItem> source, TBody body, ForEachOptions options, FlowControl? control, CancellationToken cancellationToken, RunObserver? observer = null)
        where TBody : IForEachBody<TItem, TResult>
    {
        ArgumentNullException.ThrowIfNull(source);
        return ResultsAsync(new ForEachLoop<TItem, TResult, TBody, EnumerableSource<TItem>>(body, options, control, cancellationToken, new(source), observer));
    }

    /// <summary>Runs <paramref name="body"/> over a stream: items start as they arrive.</summary>
    public static ValueTask<IReadOnlyList<TResult>> OverStreamAsync<TItem, TResult, TBody>(
        IAsyncEnumerable<TItem> source, TBody body, ForEachOptions options, FlowControl? control, CancellationToken cancellationToken, RunObserver? observer = null)
        where TBody : IForEachBody<TItem, TResult>
    {
        ArgumentNullException.ThrowIfNull(source);
        return ResultsAsync(new ForEachLoop<TItem, TResult, TBody, StreamSource<TItem>>(body, options, control, cancellationToken, new(source), observer));
    }

    /// <summary>Like <see cref="OverListAsync"/>, with an outcome per item (<see cref="ForEachOptions.ContinueOnError"/>).</summary>
    public static ValueTask<IReadOnlyList<Outcome<TResult>>> OverListWithOutcomesAsync<TItem, TResult, TBody>(
        IReadOnlyList<TItem> source, TBody body, ForEachOptions options, FlowControl? control, CancellationToken cancellationToken, RunObserver? observer = null)
        where TBody : IForEachBody<TItem, TResult>
    {
        ArgumentNullException.ThrowIfNull(source);
        return OutcomesAsync(new ForEachLoop<TItem, TResult, TBody, ListSource<TItem>>(body, options, control, cancellationToken, new(source), observer));
    }

    /// <summary>Like <see cref="OverEnumerableAsync"/>, with an outcome per item (<see cref="ForEachOptions.ContinueOnError"/>).</summary>
    public static ValueTask<IReadOnlyList<Outcome<TResult>>> OverEnumerableWithOutcomesAsync<TItem, TResult, TBody>(
        IEnumerable<TItem> source, TBody body, ForEachOptions options, FlowControl? control, CancellationToken cancellationToken, RunObserver? observer = null)
        where TBody : IForEachBody<TItem, TResult>
    {
        ArgumentNullException.ThrowIfNull(source);
        return OutcomesAsync(new ForEachLoop<TItem, TResult, TBody, EnumerableSource<TItem>>(body, options, control, cancellationToken, new(source), observer));
    }

    /// <summary>Like <see cref="OverStreamAsync"/>, with an outcome per item (<see cref="ForEachOptions.ContinueOnError"/>).</summary>
    public static ValueTask<IReadOnlyList<Outcome<TResult>>> OverStreamWithOutcomesAsync<TItem, TResult, TBody>(
        IAsyncEnumerable<TItem> source, TBody body, ForEachOptions options, FlowControl? control, CancellationToken cancellationToken, RunObserver? observer = null)
        where TBody : IForEachBody<TItem, TResult>
    {
        ArgumentNullException.ThrowIfNull(source);
        return OutcomesAsync(new ForEachLoop<TItem, TResult, TBody, StreamSource<TItem>>(body, options, control, cancellationToken, new(source), observer));
    }

    private static async ValueTask<IReadOnlyList<TResult>> ResultsAsync<TItem, TResult, TBody, TSource>(ForEachLoop<TItem, TResult, TBody, TSource> loop)
        where TBody : IForEachBody<TItem, TResult>
        where TSource : IForEachSource<TItem>
    {
        try
        {
            await loop.RunAsync().ConfigureAwait(false);
            return loop.GetResults();
        }
        catch (Exception exception) when (loop.Observation is { } observation)
        {
            observation.Fail(exception);
            throw;
        }
        finally
        {
            loop.Observation?.End();
        }
    }

    private static async ValueTask<IReadOnlyList<Outcome<TResult>>> OutcomesAsync<TItem, TResult, TBody, TSource>(ForEachLoop<TItem, TResult, TBody, TSource> loop)
        where TBody : IForEachBody<TItem, TResult>
        where TSource : IForEachSource<TItem>
    {
        try
        {
            await loop.RunAsync().ConfigureAwait(false);
            return loop.GetOutcomes();
        }
        catch (Exception exception) when (loop.Observation is { } observation)
        {
            observation.Fail(exception);
            throw;
        }
        finally
        {
            loop.Observation?.End();
        }
    }
}
