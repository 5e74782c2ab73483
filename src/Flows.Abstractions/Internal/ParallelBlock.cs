using System.ComponentModel;
using System.Diagnostics;
using System.Threading.Tasks.Sources;

namespace Flows.Internal;

/// <summary>
/// Waits for the members of a parallel group and applies the group's failure policy. With fail-fast and
/// wait-all, generated code creates one only when a member is still running (or failed) after every member
/// was started, so a group whose members complete synchronously never needs it. Not meant to be called by
/// user code.
/// </summary>
/// <remarks>
/// One callback delegate serves every member: it is attached to each pending task as its continuation, so
/// waiting costs this object, its member array and that delegate, whatever the number of members.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed partial class ParallelBlock : IValueTaskSource
{
    // The continuation attached to every pending member: one delegate, made once per block.
    private readonly Action _memberCompleted;

    // The group's name, timeout (0 for none) and, with continue-on-error, its minimum number of successes: for decisions
    // and messages. A pooled block has none of them (ParallelBlock.Pool.cs).
    private readonly string _group;
    private readonly int _timeoutMilliseconds;
    private readonly int _minSuccessCount;

    // The group's failure policy, the source behind its members' token (null when no member can observe it) and the
    // run's token. Set by the constructor, or by Rent for a pooled block.
    private FailurePolicy _policy;
    private CancellationTokenSource? _cancellation;
    private CancellationToken _runToken;

    // The members added so far, in declaration order, in _members[0.._count). A fail-fast or wait-all block skips members
    // that had already succeeded when added, so _count may be below the number of members. _count only grows, and is
    // published with a volatile write after its slot is filled, so a reader sees filled slots only.
    private Task?[] _members;
    private int _count;

    // Completes when _pending reaches 0; read by WhenAll's task.
    private ManualResetValueTaskSourceCore<bool> _completion;

    // Whether the block goes back to the pool once WhenAll's result has been read (rented fail-fast and wait-all blocks).
    private bool _returnsToPool;

    // One for every pending member, plus one held until WhenAll is called, so that the block cannot
    // complete while members are still being added. Never negative.
    private int _pending = 1;

    // Fail-fast: the first member seen failed. First-success: the first member seen succeeded. Set once.
    private Task? _decisive;

    // 1 once the block itself cancelled the members (on its decisive member), as opposed to the group's timer or the run.
    private int _cancelledByBlock;

    // With a timeout: when the group's time is up (a Stopwatch timestamp), when the block decided (the decisive member
    // was seen), when the last member stopped, and when each kept member was seen to have stopped. Whether a member or
    // the group was late is read from these, not from whether the timer's callback has run.
    private readonly long _deadline;
    private readonly long[]? _stoppedAt;
    private long _decidedAt;
    private long _completedAt;

    /// <summary>Creates a block for <paramref name="capacity"/> members.</summary>
    /// <param name="policy">The group's failure policy.</param>
    /// <param name="capacity">The number of members of the group.</param>
    /// <param name="cancellation">
    /// The source behind the members' token: cancelled by the block on the first failure (fail-fast) or the first
    /// success (first-success), and by its timer when the group has a timeout. Null when no member can observe it.
    /// </param>
    /// <param name="runToken">The run's token: a cancelled run ends the block with <see cref="OperationCanceledException"/>.</param>
    /// <param name="group">The group's name, for messages.</param>
    /// <param name="timeoutMilliseconds">The group's timeout, started by the caller on <paramref name="cancellation"/>; 0 for none.</param>
    /// <param name="minSuccessCount">With continue-on-error: fewer successes fail the group.</param>
    /// <param name="deadline">
    /// With a timeout: the <see cref="System.Diagnostics.Stopwatch"/> timestamp at which it passes
    /// (<see cref="TimedCancellation.Deadline"/>); 0 to count <paramref name="timeoutMilliseconds"/> from now.
    /// </param>
    public ParallelBlock(
        FailurePolicy policy,
        int capacity,
        CancellationTokenSource? cancellation,
        CancellationToken runToken,
        string group = "",
        int timeoutMilliseconds = 0,
        int minSuccessCount = 0,
        long deadline = 0)
    {
        if (policy is < FailurePolicy.FailFast or > FailurePolicy.FirstSuccess)
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "Not a failure policy.");
        }

        _policy = policy;
        _cancellation = cancellation;
        _runToken = runToken;
        _members = new Task?[capacity];
        _memberCompleted = OnMemberCompleted;
        _group = group;
        _timeoutMilliseconds = timeoutMilliseconds;
        _minSuccessCount = minSuccessCount;
        if (timeoutMilliseconds > 0)
        {
            _deadline = deadline != 0 ? deadline : Deadline.After(timeoutMilliseconds);
            _stoppedAt = new long[capacity];
        }
    }

    // Continue-on-error and first-success read every member afterwards, by position.
    private bool KeepsEveryMember => _policy is FailurePolicy.ContinueOnError or FailurePolicy.FirstSuccess;

    /// <summary>
    /// Whether the group's timeout, rather than a failure, a success or the run, ended the group: its timer cancelled the
    /// members before the block decided anything, or the block decided (fail-fast: the first failure; first-success:
    /// the first success) or, undecided, its last member stopped at or after the deadline. Read once every member has
    /// stopped.
    /// </summary>
    public bool TimedOut =>
        _timeoutMilliseconds > 0
        && !_runToken.IsCancellationRequested
        && (TimerCancelledMembers
            || Deadline.IsLate(_decisive is not null ? Volatile.Read(ref _decidedAt) : CompletedOrNow(), _deadline));

    // The group's timer, not the block, cancelled the members' token.
    private bool TimerCancelledMembers =>
        _cancellation is { IsCancellationRequested: true } && Volatile.Read(ref _cancelledByBlock) == 0;

    private long CompletedOrNow() => Volatile.Read(ref _completedAt) is var completed and not 0 ? completed : Stopwatch.GetTimestamp();

    /// <summary>With first-success: the position of the member whose value is the group's.</summary>
    public int Winner => _decisive is { } winner ? Array.IndexOf(_members, winner) : -1;

    /// <summary>Adds the next member, in declaration order.</summary>
    public void Add(Task task)
    {
        if (task.IsCompletedSuccessfully && !KeepsEveryMember)
        {
            return;
        }

        Invariants.AtMost(_count + 1, _members.Length, "The number of members added to a block");
        _members[_count] = task;
        Volatile.Write(ref _count, _count + 1);
        if (task.IsCompleted)
        {
            // It stopped before the block existed, at the latest now (a member that blocks its caller before
            // returning its task is late if now is).
            StampStoppedMembers();
            Decide();
            return;
        }

        Interlocked.Increment(ref _pending);
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_memberCompleted);
    }

    /// <summary>Adds the next member and returns a task that may be read again once the block has completed.</summary>
    public ValueTask Add(ValueTask task)
    {
        if (task.IsCompletedSuccessfully && !KeepsEveryMember)
        {
            return task;
        }

        var asTask = task.AsTask();
        Add(asTask);
        return new ValueTask(asTask);
    }

    /// <summary>Adds the next member and returns a task whose result may be read once the block has completed.</summary>
    public ValueTask<T> Add<T>(ValueTask<T> task)
    {
        if (task.IsCompletedSuccessfully && !KeepsEveryMember)
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
    /// member order; with continue-on-error, throws one when fewer members than the minimum succeeded; with
    /// first-success, throws one when none succeeded. A run cancelled before the group ended ends it with
    /// <see cref="OperationCanceledException"/>, whatever its members did; a group past its timeout (no failure, with
    /// fail-fast, and no success, with first-success, came before it) ends with <see cref="TimeoutException"/>, even
    /// when its late members ignored their token and returned values.
    /// </summary>
    public ValueTask WhenAll()
    {
        var pending = Interlocked.Decrement(ref _pending);
        Invariants.NotNegative(pending, "The number of a block's pending members");
        if (pending == 0)
        {
            Complete();
        }

        return new ValueTask(this, _completion.Version);
    }

    /// <summary>
    /// A continue-on-error member's outcome. A member stopped by the group's timeout, or that stopped after it even
    /// with a value, failed with a <see cref="TimeoutException"/>.
    /// </summary>
    public Outcome<T> OutcomeOf<T>(ValueTask<T> member) =>
        member.IsCompletedSuccessfully && _stoppedAt is null ? Outcome<T>.Success(member.Result) : OutcomeOf(member.AsTask());

    /// <summary>
    /// A continue-on-error member's outcome. A member stopped by the group's timeout, or that stopped after it even
    /// with a value, failed with a <see cref="TimeoutException"/>.
    /// </summary>
    public Outcome<T> OutcomeOf<T>(Task<T> member) =>
        FailureOrNull(member, Array.IndexOf(_members, member, 0, Volatile.Read(ref _count))) is { } failure
            ? Outcome<T>.Failure(failure)
            : Outcome<T>.Success(member.Result);

    private void OnMemberCompleted()
    {
        StampStoppedMembers();
        if (Volatile.Read(ref _decisive) is null)
        {
            Decide();
        }

        var pending = Interlocked.Decrement(ref _pending);
        Invariants.NotNegative(pending, "The number of a block's pending members");
        if (pending == 0)
        {
            Complete();
        }
    }

    private void Complete()
    {
        CheckEveryMemberStopped();
        if (_deadline != 0)
        {
            Volatile.Write(ref _completedAt, Stopwatch.GetTimestamp());
        }

        _completion.SetResult(true);
    }

    // The block completed: every member it holds has stopped, and none is pending.
    [Conditional("DEBUG")]
    private void CheckEveryMemberStopped()
    {
        Invariants.That(Volatile.Read(ref _pending) == 0, "A completed block has no pending member.");
        var count = Volatile.Read(ref _count);
        Invariants.AtMost(count, _members.Length, "The number of members of a block");
        for (var i = 0; i < count; i++)
        {
            Invariants.That(_members[i] is { IsCompleted: true }, "Every member of a completed block has stopped.");
        }
    }

    // With a timeout: every member seen stopped for the first time gets the time it was seen, which is at or just after
    // the time it stopped (a member's continuation runs as it completes). Groups are small: a scan per completion.
    private void StampStoppedMembers()
    {
        if (_stoppedAt is null)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        var count = Volatile.Read(ref _count);
        for (var i = 0; i < count; i++)
        {
            if (_members[i] is { IsCompleted: true } && Volatile.Read(ref _stoppedAt[i]) == 0)
            {
                Interlocked.CompareExchange(ref _stoppedAt[i], now, 0);
            }
        }
    }

    // Fail-fast: the first member seen failed cancels the others. First-success: the first member seen
    // succeeded gives the group's value and cancels the others.
    private void Decide()
    {
        if (_policy is not (FailurePolicy.FailFast or FailurePolicy.FirstSuccess))
        {
            return;
        }

        var count = Volatile.Read(ref _count);
        for (var i = 0; i < count; i++)
        {
            var member = _members[i];
            var decisive = _policy == FailurePolicy.FailFast
                ? member is { IsFaulted: true } or { IsCanceled: true }
                : member is { IsCompletedSuccessfully: true };
            if (decisive)
            {
                var now = _deadline != 0 ? Stopwatch.GetTimestamp() : 0;
                if (Interlocked.CompareExchange(ref _decisive, member, null) is null)
                {
                    Volatile.Write(ref _decidedAt, now);
                    CancelOthers();
                }

                return;
            }
        }
    }

    private void CancelOthers()
    {
        // Already cancelled (by the group's timer or the run): the block did not decide that.
        if (_cancellation is null || _cancellation.IsCancellationRequested)
        {
            return;
        }

        Volatile.Write(ref _cancelledByBlock, 1);
        try
        {
            _cancellation.Cancel();
        }
        catch (AggregateException)
        {
            // A callback a step registered on its token threw. The step's own failure, if any, reaches the
            // block through its task; the block must still wait for every member to stop.
        }
    }

    private void ThrowIfFailed()
    {
        var count = Volatile.Read(ref _count);
        var runCancelled = _runToken.IsCancellationRequested;
        var timedOut = TimedOut;
        if (_policy == FailurePolicy.FailFast && !timedOut && !runCancelled)
        {
            // Only the first failure is thrown: the others are observed, not collected.
            foreach (var member in _members.AsSpan(0, count))
            {
                _ = member!.Exception;
            }

            if ((_decisive ?? FirstFailedOrNull(count)) is { } failed)
            {
                // Rethrows the original exception with its original stack.
                failed.GetAwaiter().GetResult();
            }

            return;
        }

        List<Exception>? failures = null;
        for (var i = 0; i < count; i++)
        {
            // Every failed member is looked at, so that no exception is left unobserved.
            if (FailureOrNull(_members[i]!, i) is { } failure)
            {
                (failures ??= new List<Exception>()).Add(failure);
            }
        }

        // The run was cancelled (by its caller, or by the run's timeout, which the run reports) before the group ended:
        // that ends the group, whatever its members did meanwhile.
        if (runCancelled)
        {
            throw new OperationCanceledException(_runToken);
        }

        switch (_policy)
        {
            case FailurePolicy.FirstSuccess:
                if (_decisive is not null && !timedOut)
                {
                    return;
                }

                var noneSucceeded = new AggregateException($"No member of group '{_group}' succeeded.", failures ?? new List<Exception>());
                if (timedOut)
                {
                    throw new TimeoutException($"Group '{_group}' timed out after {_timeoutMilliseconds} ms with no member succeeding in time.", noneSucceeded);
                }

                throw noneSucceeded;

            case FailurePolicy.ContinueOnError:
                var successes = count - (failures?.Count ?? 0);
                if (successes < _minSuccessCount)
                {
                    throw new AggregateException(
                        $"Group '{_group}': {successes} of {count} members succeeded, fewer than the minimum of {_minSuccessCount}.",
                        failures!);
                }

                return;
        }

        // Fail-fast past its timeout (no failure came first), or wait-all.
        if (timedOut)
        {
            throw new TimeoutException(
                $"Group '{_group}' timed out after {_timeoutMilliseconds} ms.",
                failures is null ? null : failures.Count == 1 ? failures[0] : new AggregateException(failures));
        }

        if (failures is not null)
        {
            throw new AggregateException(failures);
        }
    }

    // A member's failure, or null when it succeeded in time. With a timeout, a member that the group's timer cancelled
    // fails with a TimeoutException holding what it threw, and so does one seen stopping at or after the deadline, even
    // with a value.
    private Exception? FailureOrNull(Task member, int index)
    {
        var late = _stoppedAt is not null && index >= 0 && Deadline.IsLate(Volatile.Read(ref _stoppedAt[index]), _deadline)
            && !_runToken.IsCancellationRequested;
        Exception? failure = null;
        if (member.IsFaulted)
        {
            var inner = member.Exception!.InnerExceptions;
            failure = inner.Count == 1 ? inner[0] : member.Exception;
        }
        else if (member.IsCanceled)
        {
            try
            {
                member.GetAwaiter().GetResult();
                failure = new TaskCanceledException(member);
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        }

        if (late || (failure is OperationCanceledException && _timeoutMilliseconds > 0 && TimerCancelledMembers && !_runToken.IsCancellationRequested))
        {
            return new TimeoutException($"Group '{_group}' timed out after {_timeoutMilliseconds} ms.", failure);
        }

        return failure;
    }

    private Task? FirstFailedOrNull(int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (_members[i] is { IsCompletedSuccessfully: false } member)
            {
                return member;
            }
        }

        return null;
    }

    void IValueTaskSource.GetResult(short token)
    {
        _completion.GetResult(token);
        try
        {
            ThrowIfFailed();
        }
        finally
        {
            if (_returnsToPool)
            {
                ReturnToPool();
            }
        }
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);
}
