using System.ComponentModel;
using System.Diagnostics;

namespace Flows.Internal;

/// <summary>
/// A <see cref="LinkedCancellation"/> with a time limit, for a group's or a run's timeout: cancelled when its parent
/// is or when the limit passes. It also remembers when the limit passes, so that whether it has passed does not depend
/// on the timer's callback having run (on a busy machine that callback can run well after the limit).
/// Not meant to be called by user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct TimedCancellation : IDisposable
{
    private LinkedCancellation _cancellation;
    private readonly long _deadline;

    private TimedCancellation(LinkedCancellation cancellation, long deadline)
    {
        _cancellation = cancellation;
        _deadline = deadline;
    }

    /// <summary>
    /// Creates a source that is cancelled when <paramref name="parent"/> is, or when <paramref name="timeoutMilliseconds"/>
    /// have passed.
    /// </summary>
    /// <param name="parent">The token the source follows.</param>
    /// <param name="timeoutMilliseconds">The time limit, from now; more than 0.</param>
    public static TimedCancellation Create(CancellationToken parent, int timeoutMilliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timeoutMilliseconds);
        var deadline = Internal.Deadline.After(timeoutMilliseconds);
        var cancellation = LinkedCancellation.Create(parent);
        cancellation.Source.CancelAfter(timeoutMilliseconds);
        return new TimedCancellation(cancellation, deadline);
    }

    /// <summary>The source; a <see cref="ParallelBlock"/> cancels it on the first failure.</summary>
    public readonly CancellationTokenSource Source => _cancellation.Source;

    /// <summary>The token handed to the steps.</summary>
    public readonly CancellationToken Token => _cancellation.Token;

    /// <summary>
    /// The <see cref="Stopwatch"/> timestamp at which the time limit passes. The timer cancels the source at about that
    /// time, but its callback may run late on a busy machine: compare with this to know.
    /// </summary>
    public readonly long Deadline => _deadline;

    /// <summary>Whether the time limit has passed by the clock, whether or not the timer has cancelled the source yet.</summary>
    public readonly bool IsPastDeadline => Internal.Deadline.HasPassed(_deadline);

    /// <summary>
    /// Whether the time limit, and not <paramref name="parent"/>, stopped this source: the parent is not cancelled, and
    /// the limit has passed or the source was cancelled (only the timer cancels a run's source).
    /// </summary>
    /// <param name="parent">The token the source was created from (the caller's token).</param>
    public readonly bool TimedOut(CancellationToken parent) =>
        !parent.IsCancellationRequested && (IsPastDeadline || Source.IsCancellationRequested);

    /// <summary>
    /// Throws <see cref="OperationCanceledException"/> when the token is cancelled or the time limit has passed; in the
    /// second case the source is cancelled first, so that the token agrees with the clock.
    /// </summary>
    public readonly void ThrowIfCancellationRequested()
    {
        var source = Source;
        if (!source.IsCancellationRequested && IsPastDeadline)
        {
            try
            {
                source.Cancel();
            }
            catch (AggregateException)
            {
                // A callback a step registered on the token threw; the time is up all the same.
            }
        }

        source.Token.ThrowIfCancellationRequested();
    }

    /// <summary>Unlinks the source from its parent and keeps it for reuse when it was never cancelled.</summary>
    public void Dispose() => _cancellation.Dispose();
}
