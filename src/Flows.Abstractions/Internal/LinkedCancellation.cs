using System.ComponentModel;

namespace Flows.Internal;

/// <summary>
/// A cancellation source linked to a run's token, used by generated code for a fail-fast group: the first
/// failure cancels it, and with it every sibling. Sources that were never cancelled are reset and reused,
/// so a group whose members all succeed allocates nothing. Not meant to be called by user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct LinkedCancellation : IDisposable
{
    [ThreadStatic]
    private static CancellationTokenSource? t_spare;

    private CancellationTokenSource? _source;
    private CancellationTokenRegistration _registration;

    private LinkedCancellation(CancellationTokenSource source, CancellationTokenRegistration registration)
    {
        _source = source;
        _registration = registration;
    }

    /// <summary>Creates a source that is cancelled when <paramref name="parent"/> is.</summary>
    public static LinkedCancellation Create(CancellationToken parent)
    {
        var source = t_spare ?? new CancellationTokenSource();
        t_spare = null;
        var registration = parent.CanBeCanceled
            ? parent.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), source)
            : default;
        return new LinkedCancellation(source, registration);
    }

    /// <summary>The source; a <see cref="ParallelBlock"/> cancels it on the first failure.</summary>
    public readonly CancellationTokenSource Source => _source ?? throw new ObjectDisposedException(nameof(LinkedCancellation));

    /// <summary>The token handed to the group's members.</summary>
    public readonly CancellationToken Token => Source.Token;

    /// <summary>Unlinks the source from the run's token and keeps it for reuse when it was never cancelled.</summary>
    public void Dispose()
    {
        var source = _source;
        if (source is null)
        {
            return;
        }

        _source = null;
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
