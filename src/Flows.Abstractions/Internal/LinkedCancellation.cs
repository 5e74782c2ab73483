using System.ComponentModel;
using System.Diagnostics;

namespace Flows.Internal;

/// <summary>
/// A cancellation source linked to a run's token, used by generated code for a fail-fast group: the first
/// failure cancels it, and with it every sibling. Sources that were never cancelled are reset and reused,
/// so a group whose members all succeed allocates nothing. With a time limit (a group's or a run's timeout) it also
/// remembers when the limit passes, so that whether it has passed does not depend on the timer's callback having run.
/// Not meant to be called by user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct LinkedCancellation : IDisposable
{
    [ThreadStatic]
    private static CancellationTokenSource? t_spare;

    private CancellationTokenSource? _source;
    private CancellationTokenRegistration _registration;
    private long _deadline;

    private LinkedCancellation(CancellationTokenSource source, CancellationTokenRegistration registration, long deadline)
    {
        _source = source;
        _registration = registration;
        _deadline = deadline;
    }

    /// <summary>Creates a source that is cancelled when <paramref name="parent"/> is.</summary>
    public static LinkedCancellation Create(CancellationToken parent)
    {
        var source = t_spare ?? new CancellationTokenSource();
        t_spare = null;
        var registration = parent.CanBeCanceled
            ? parent.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), source)
            : default;
        return new LinkedCancellation(source, registration, 0);
    }

    /// <summary>
    /// Creates a source that is cancelled when <paramref name="parent"/> is, or when <paramref name="timeoutMilliseconds"/>
    /// have passed.
    /// </summary>
    /// <param name="parent">The token the source follows.</param>
    /// <param name="timeoutMilliseconds">The time limit, from now; 0 or less for none.</param>
    public static LinkedCancellation Create(CancellationToken parent, int timeoutMilliseconds)
    {
        var cancellation = Create(parent);
        if (timeoutMilliseconds > 0)
        {
            cancellation._deadline = Internal.Deadline.After(timeoutMilliseconds);
            cancellation._source!.CancelAfter(timeoutMilliseconds);
        }

        return cancellation;
    }

    /// <summary>The source; a <see cref="ParallelBlock"/> cancels it on the first failure.</summary>
    public readonly CancellationTokenSource Source => _source ?? throw new ObjectDisposedException(nameof(LinkedCancellation));

    /// <summary>The token handed to the group's members.</summary>
    public readonly CancellationToken Token => Source.Token;

    /// <summary>
    /// The <see cref="Stopwatch"/> timestamp at which the time limit passes; 0 without one. The timer cancels the source
    /// at about that time, but its callback may run late on a busy machine: compare with this to know.
    /// </summary>
    public readonly long Deadline => _deadline;

    /// <summary>Whether the time limit has passed by the clock, whether or not the timer has cancelled the source yet.</summary>
    public readonly bool IsPastDeadline => _deadline != 0 && Internal.Deadline.HasPassed(_deadline);

    /// <summary>
    /// Whether the time limit, and not <paramref name="parent"/>, stopped this source: the parent is not cancelled, and
    /// the limit has passed or the source was cancelled (only the timer cancels a run's source).
    /// </summary>
    /// <param name="parent">The token the source was created from (the caller's token).</param>
    public readonly bool TimedOut(CancellationToken parent) =>
        _deadline != 0 && !parent.IsCancellationRequested && (IsPastDeadline || Source.IsCancellationRequested);

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
                // A callback a step registered on the token threw; the run has timed out all the same.
            }
        }

        source.Token.ThrowIfCancellationRequested();
    }

    /// <summary>Unlinks the source from the run's token and keeps it for reuse when it was never cancelled.</summary>
    public void Dispose()
    {
        var source = _source;
        if (source is null)
        {
            return;
        }

        _source = null;
        _deadline = 0;
        _registration.Dispose();
        if (t_spare is null && source.TryReset())
        {
            t_spare = source;
        }
        else
        {
            source.Dispose();
        }
    }
}
