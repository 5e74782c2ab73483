namespace Flows;

/// <summary>
/// Pauses and resumes a running workflow. Pass it to the generated <c>RunAsync(…, FlowControl control, …)</c>.
/// A paused run starts no new step or item until it is resumed; steps already running finish.
/// </summary>
/// <remarks>One instance may control several runs at once. All members are thread-safe.</remarks>
public sealed class FlowControl
{
    private readonly object _gate = new();
    private TaskCompletionSource? _resumed;

    /// <summary><see langword="true"/> between <see cref="Pause"/> and <see cref="Resume"/>.</summary>
    public bool IsPaused => Volatile.Read(ref _resumed) is not null;

    /// <summary>Stops runs from starting new steps or items. Does nothing when already paused.</summary>
    public void Pause()
    {
        lock (_gate)
        {
            _resumed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets paused runs go on. Does nothing when not paused.</summary>
    public void Resume()
    {
        TaskCompletionSource? resumed;
        lock (_gate)
        {
            resumed = _resumed;
            _resumed = null;
        }

        resumed?.TrySetResult();
    }

    /// <summary>Completes when the control is not paused, or throws when <paramref name="cancellationToken"/> is cancelled first.</summary>
    internal ValueTask WhenResumedAsync(CancellationToken cancellationToken)
    {
        var resumed = Volatile.Read(ref _resumed);
        return resumed is null ? default : new ValueTask(resumed.Task.WaitAsync(cancellationToken));
    }
}
