using System.Threading.Tasks.Sources;

namespace Flows.Internal;

/// <summary>The one-block pool of fail-fast and wait-all blocks, whose block nobody reads after it completed.</summary>
public sealed partial class ParallelBlock
{
    // The spare block: taken by Rent, put back by the GetResult of WhenAll's task. A block in it is clean (IsClean).
    private static ParallelBlock? s_spare;

    /// <summary>
    /// Takes a fail-fast or wait-all block from a one-block pool, or creates one. It goes back to the pool once
    /// <see cref="WhenAll"/>'s result has been read, so the caller must not use it after that.
    /// </summary>
    public static ParallelBlock Rent(FailurePolicy policy, int capacity, CancellationTokenSource? cancellation, CancellationToken runToken)
    {
        if (policy is not (FailurePolicy.FailFast or FailurePolicy.WaitAll))
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "Only fail-fast and wait-all blocks are pooled.");
        }

        var block = Interlocked.Exchange(ref s_spare, null);
        if (block is null || block._members.Length < capacity)
        {
            block = new ParallelBlock(policy, capacity, cancellation, runToken);
        }
        else
        {
            Invariants.That(block.IsClean(), "The pool's spare block is clean.");
            block._policy = policy;
            block._cancellation = cancellation;
            block._runToken = runToken;
        }

        block._returnsToPool = true;
        return block;
    }

    private void ReturnToPool()
    {
        CheckEveryMemberStopped();
        Array.Clear(_members);
        _count = 0;
        _pending = 1;
        _decisive = null;
        _cancelledByBlock = 0;
        _decidedAt = 0;
        _completedAt = 0;
        _cancellation = null;
        _runToken = default;
        _returnsToPool = false;
        _completion.Reset();
        Invariants.That(IsClean(), "A block goes back to the pool clean.");
        Volatile.Write(ref s_spare, this);
    }

    // As a new block of a pooled kind: no member, nothing decided, no token, no time limit, and its completion pending.
    // Only the capacity of _members and the policy remain from the last use (Rent sets the policy again).
    private bool IsClean()
    {
        foreach (var member in _members)
        {
            if (member is not null)
            {
                return false;
            }
        }

        return _count == 0
            && _pending == 1
            && _decisive is null
            && _cancelledByBlock == 0
            && _decidedAt == 0
            && _completedAt == 0
            && _cancellation is null
            && _runToken == default
            && !_returnsToPool
            && _timeoutMilliseconds == 0
            && _stoppedAt is null
            && _minSuccessCount == 0
            && _completion.GetStatus(_completion.Version) == ValueTaskSourceStatus.Pending;
    }
}
