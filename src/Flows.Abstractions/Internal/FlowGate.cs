using System.ComponentModel;

namespace Flows.Internal;

/// <summary>
/// Called by generated code before each stage: stops the run when it is cancelled and waits while it is paused.
/// Not meant to be called by user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class FlowGate
{
    /// <summary>
    /// Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled;
    /// otherwise completes when <paramref name="control"/> is not paused.
    /// </summary>
    public static ValueTask EnterAsync(FlowControl? control, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return control is null || !control.IsPaused ? default : WaitAsync(control, cancellationToken);
    }

    private static async ValueTask WaitAsync(FlowControl control, CancellationToken cancellationToken)
    {
        // Resume may race with another Pause: keep waiting until the control is open when we look at it.
        while (control.IsPaused)
        {
            await control.WhenResumedAsync(cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
