using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Flows.Internal;

/// <summary>
/// An awaitable that always continues on the thread pool, whatever the current synchronization context or
/// task scheduler. Generated code awaits it before a synchronous step of a parallel group so that CPU-bound
/// steps really run in parallel. Not meant to be called by user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ThreadPoolHop : ICriticalNotifyCompletion
{
    private static readonly Action<Action> s_run = static continuation => continuation();

    /// <summary>Gets the awaiter: the hop itself.</summary>
    public ThreadPoolHop GetAwaiter() => this;

    /// <summary>Always <see langword="false"/>: the continuation is always queued.</summary>
    public bool IsCompleted => false;

    /// <summary>Ends the await.</summary>
    public void GetResult()
    {
    }

    /// <inheritdoc/>
    public void OnCompleted(Action continuation) =>
        ThreadPool.QueueUserWorkItem(s_run, continuation, preferLocal: false);

    /// <inheritdoc/>
    public void UnsafeOnCompleted(Action continuation) =>
        ThreadPool.UnsafeQueueUserWorkItem(s_run, continuation, preferLocal: false);
}
