using System.ComponentModel;
using System.Threading.Tasks.Sources;

namespace Flows.Internal;

/// <summary>
/// Waits for the members of a parallel group that did not complete synchronously and applies the group's
/// failure policy. Generated code creates one only when a member is still running (or failed) after every
/// member was started, so a group whose members complete synchronously never needs it.
/// Not meant to be called by user code.
/// </summary>
/// <remarks>
/// One callback delegate serves every member: it is attached to each pending task as its continuation, so
/// waiting costs this object, its member array and that delegate, whatever the number of members.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ParallelBlock : IValueTaskSource
{
    private readonly FailurePolicy _policy;
    private readonly CancellationTokenSource? _cancellation;
    private readonly CancellationToken _runToken;
    private readonly Task?[] _members;
    private readonly Action _memberCompleted;
    private ManualResetValueTaskSourceCore<bool> _completion;
    private int _count;

    // One for every pending member, plus one held until WhenAll is called, so that the block cannot
    // complete while members are still being added.
    private int _pending = 1;
    private Task? _firstFailure;

    /// <summary>Creates a block for up to <paramref name="capacity"/> members.</summary>
    /// <param name="policy"><see cref="FailurePolicy.FailFast"/> or <see cref="FailurePolicy.WaitAll"/>.</param>
    /// <param name="capacity">The number of members of the group.</param>
    /// <param name="cancellation">With fail-fast: the source behind the members' token, cancelled on the first failure.</param>
    /// <param name="runToken">The run's token: a cancelled run ends the block with <see cref="OperationCanceledException"/>.</param>
    public ParallelBlock(FailurePolicy policy, int capacity, CancellationTokenSource? cancellation, CancellationToken runToken)
    {
        if (policy is not (FailurePolicy.FailFast or FailurePolicy.WaitAll))
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "A parallel block supports FailFast and WaitAll.");
        }

        _policy = policy;
        _cancellation = cancellation;
        _runToken = runToken;
        _members = new Task?[capacity];
        _memberCompleted = OnMemberCompleted;
    }

    /// <summary>Adds a member. A member that already succeeded needs no waiting and is not kept.</summary>
    public void Add(Task task)
    {
        if (task.IsCompletedSuccessfully)
        {
            return;
        }

        _members[_count] = task;
        Volatile.Write(ref _count, _count + 1);
        if (task.IsCompleted)
        {
            NoteFailure();
            return;
        }

        Interlocked.Increment(ref _pending);
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_memberCompleted);
    }

    /// <summary>Adds a member and returns a task that may be read again once the block has completed.</summary>
    public ValueTask Add(ValueTask task)
    {
        if (task.IsCompletedSuccessfully)
        {
            return task;
        }

        var asTask = task.AsTask();
        Add(asTask);
        return new ValueTask(asTask);
    }

    /// <summary>Adds a member and returns a task whose result may be read once the block has completed.</summary>
    public ValueTask<T> Add<T>(ValueTask<T> task)
    {
        if (task.IsCompletedSuccessfully)
        {
            return task;
        }

        var asTask = task.AsTask();
        Add(asTask);
        return new ValueTask<T>(asTask);
    }

    /// <summary>
    /// Completes when every member has stopped. Then, with fail-fast, rethrows the first failure with its
    /// original type and stack; with wait-all, throws an <see cref="AggregateException"/> of every failure in
    /// member order, or <see cref="OperationCanceledException"/> when the run was cancelled.
    /// </summary>
    public ValueTask WhenAll()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _completion.SetResult(true);
        }

        return new ValueTask(this, _completion.Version);
    }

    private void OnMemberCompleted()
    {
        if (_policy == FailurePolicy.FailFast && Volatile.Read(ref _firstFailure) is null)
        {
            NoteFailure();
        }

        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _completion.SetResult(true);
        }
    }

    // Records the first member seen failed and, with fail-fast, cancels the others.
    private void NoteFailure()
    {
        if (_policy != FailurePolicy.FailFast)
        {
            return;
        }

        var count = Volatile.Read(ref _count);
        for (var i = 0; i < count; i++)
        {
            var member = _members[i];
            if (member is { IsFaulted: true } or { IsCanceled: true })
            {
                if (Interlocked.CompareExchange(ref _firstFailure, member, null) is null)
                {
                    CancelSiblings();
                }

                return;
            }
        }
    }

    private void CancelSiblings()
    {
        try
        {
            _cancellation?.Cancel();
        }
        catch (AggregateException)
        {
            // A callback a step registered on its token threw. The step's own failure, if any, reaches the
            // block through its task; the block must still wait for every member to stop.
        }
    }

    private void ThrowIfFailed()
    {
        List<Exception>? failures = null;
        var count = Volatile.Read(ref _count);
        for (var i = 0; i < count; i++)
        {
            // Every failed member is looked at, so that no exception is left unobserved.
            var member = _members[i]!;
            if (member.IsFaulted)
            {
                (failures ??= new List<Exception>()).AddRange(member.Exception!.InnerExceptions);
            }
            else if (member.IsCanceled)
            {
                (failures ??= new List<Exception>()).Add(CancellationOf(member));
            }
        }

        if (failures is null)
        {
            return;
        }

        if (_policy == FailurePolicy.FailFast)
        {
            // Rethrows the original exception with its original stack.
            (_firstFailure ?? FirstFailed(count)).GetAwaiter().GetResult();
        }

        _runToken.ThrowIfCancellationRequested();
        throw new AggregateException(failures);
    }

    private Task FirstFailed(int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (_members[i] is { IsCompletedSuccessfully: false } member)
            {
                return member;
            }
        }

        throw new InvalidOperationException("The block has no failed member.");
    }

    private static Exception CancellationOf(Task task)
    {
        try
        {
            task.GetAwaiter().GetResult();
            return new TaskCanceledException(task);
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    void IValueTaskSource.GetResult(short token)
    {
        _completion.GetResult(token);
        ThrowIfFailed();
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);
}
