using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using static Flows.Analyzers.Concurrency.OperationShapes;

namespace Flows.Analyzers.Concurrency;

/// <summary>
/// The locks one walk holds, in the order it takes them: <c>lock</c> statements, the lock APIs of
/// <see cref="SynchronizationApis.Locks"/> (Monitor, Lock, ReaderWriterLockSlim), a one-at-a-time <c>SemaphoreSlim</c>,
/// <c>using</c> scopes (<c>Lock.EnterScope()</c>, a lock helper of this compilation), <c>TryEnter</c> under the answer
/// that it took the lock, and <c>[MethodImpl(MethodImplOptions.Synchronized)]</c>.
/// </summary>
internal sealed class LockTracker
{
    private readonly KnownSymbols _symbols;
    private readonly PathResolver _paths;
    private readonly Callees _callees;
    private readonly List<LockRef> _held = new();
    private readonly HashSet<LockRef> _scopedToBlock = new();

    public LockTracker(KnownSymbols symbols, PathResolver paths, Callees callees)
    {
        _symbols = symbols;
        _paths = paths;
        _callees = callees;
    }

    /// <summary>The locks held now, innermost last: what an access made now is protected by.</summary>
    public ImmutableArray<LockRef> Held { get; private set; } = ImmutableArray<LockRef>.Empty;

    /// <summary>How many locks are held now; with <see cref="HeldSince"/>, which of them a stretch of the walk took.</summary>
    public int Count => _held.Count;

    public void Acquire(LockRef held)
    {
        _held.Add(held);
        Held = _held.ToImmutableArray();
    }

    /// <summary>Releases the innermost lock held on <paramref name="path"/>; nothing when none is.</summary>
    public void Release(AccessPath path)
    {
        for (var i = _held.Count - 1; i >= 0; i--)
        {
            if (_held[i].Path.Equals(path))
            {
                _held.RemoveAt(i);
                Held = _held.ToImmutableArray();
                return;
            }
        }
    }

    /// <summary>
    /// Takes the lock a <c>[MethodImpl(MethodImplOptions.Synchronized)]</c> body runs under: <c>lock (this)</c>, or
    /// <c>lock (typeof(T))</c> when static. Nothing for any other method.
    /// </summary>
    public void EnterBodyOf(IMethodSymbol method)
    {
        if (_symbols.IsSynchronizedMethod(method))
        {
            Acquire(new LockRef(method.IsStatic ? PathResolver.TypeRoot(method.ContainingType) : AccessPath.This, exclusive: true));
        }
    }

    /// <summary>The lock a <c>lock</c> statement takes, or null when its object has no path.</summary>
    public LockRef? LockOf(ILockOperation lockOperation) =>
        _paths.PathOf(lockOperation.LockedValue, localsAsRoots: false) is { } path ? new LockRef(path, exclusive: true) : null;

    /// <summary>
    /// Takes a lock that a <c>using</c> declaration holds to the end of its block. The walk does not track blocks, so
    /// to the end of the method; such a lock is not one the method returns holding (<see cref="HeldSince"/>).
    /// </summary>
    public void AcquireToEndOfBlock(LockRef held)
    {
        Acquire(held);
        _scopedToBlock.Add(held);
    }

    /// <summary>
    /// The locks taken since <see cref="Count"/> was <paramref name="entered"/> and still held, other than those a
    /// <c>using</c> declaration scopes: at the end of a method, what makes it a lock helper (<see cref="MethodSummary.HeldAtExit"/>).
    /// </summary>
    public ImmutableArray<LockRef> HeldSince(int entered)
    {
        var held = ImmutableArray.CreateBuilder<LockRef>();
        for (var i = entered; i < _held.Count; i++)
        {
            if (!_scopedToBlock.Contains(_held[i]))
            {
                held.Add(_held[i]);
            }
        }

        return held.ToImmutable();
    }

    /// <summary>
    /// Takes or releases what a call to a lock API does. A <c>TryEnter</c> that returns its answer takes the lock only
    /// where the answer is known to be true (<see cref="TryLockOf"/>). True when the call is a lock API (or a
    /// <c>SemaphoreSlim</c> call), which the walk then neither follows nor records as a use of an object.
    /// </summary>
    public bool Track(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var containing = method.ContainingType;
        if (_symbols.LockApiOf(method) is { } api)
        {
            if (LockObjectOf(api, invocation) is not { } lockObject)
            {
                return true;
            }

            switch (RoleOf(api, method))
            {
                case LockRole.Enter or LockRole.EnterWithFlag when IsStatement(invocation):
                    Acquire(new LockRef(lockObject, api.Exclusive));
                    break;
                case LockRole.Exit:
                    Release(lockObject);
                    break;
            }

            return true;
        }

        if (invocation.Instance is null || _paths.PathOf(invocation.Instance, localsAsRoots: false) is not { } path)
        {
            return KnownSymbols.Same(containing, _symbols.SemaphoreSlim);
        }

        if (KnownSymbols.Same(containing, _symbols.SemaphoreSlim))
        {
            var untimed = invocation.Arguments.All(a => a.Value.Type?.Name == "CancellationToken");
            if (method.Name is "Wait" or "WaitAsync" && untimed && IsStatement(invocation) && _callees.IsMutexSemaphore(path.Last))
            {
                Acquire(new LockRef(path, exclusive: true));
            }
            else if (method.Name == "Release" && invocation.Arguments.Length == 0)
            {
                Release(path);
            }

            return true;
        }

        return false;
    }

    /// <summary>
    /// The lock a condition takes when it is true: <c>Monitor.TryEnter(x, …)</c>, <c>rw.TryEnterWriteLock(…)</c>,
    /// <c>_lock.TryEnter()</c>; with <paramref name="negated"/> set, when it is false (<c>if (!Monitor.TryEnter(x)) return;</c>).
    /// </summary>
    public LockRef? TryLockOf(IOperation condition, out bool negated)
    {
        negated = false;
        var operation = Unwrap(condition);
        if (operation is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            negated = true;
            operation = Unwrap(not.Operand);
        }

        if (operation is not IInvocationOperation invocation || _symbols.LockApiOf(invocation.TargetMethod) is not { } api
            || RoleOf(api, invocation.TargetMethod) != LockRole.TryEnter)
        {
            return null;
        }

        return LockObjectOf(api, invocation) is { } lockObject ? new LockRef(lockObject, api.Exclusive) : null;
    }

    /// <summary>
    /// The locks a <c>using</c> holds for its block: <c>using (_lock.EnterScope())</c> on a <c>System.Threading.Lock</c>,
    /// and <c>using (await _gate.EnterAsync())</c> on a lock helper of this compilation that returns holding a lock
    /// (<see cref="MethodSummary.HeldAtExit"/>), its lock seen from here (<c>_gate._semaphore</c>).
    /// </summary>
    public List<LockRef> ScopesOf(IOperation? resources)
    {
        var scopes = new List<LockRef>();
        if (resources is null)
        {
            return scopes;
        }

        foreach (var operation in resources.DescendantsAndSelf())
        {
            if (operation is not IInvocationOperation invocation)
            {
                continue;
            }

            if (invocation is { TargetMethod.Name: "EnterScope", Instance: { } instance }
                && KnownSymbols.Same(invocation.TargetMethod.ContainingType, _symbols.Lock))
            {
                if (_paths.PathOf(instance, localsAsRoots: false) is { } path)
                {
                    scopes.Add(new LockRef(path, exclusive: true));
                }
            }
            else if (_callees.HasBody(invocation.TargetMethod))
            {
                var summary = _callees.SummaryOf(invocation.TargetMethod, out _);
                var receiver = invocation.TargetMethod.IsStatic ? null
                    : invocation.Instance is null ? AccessPath.This : _paths.PathOf(invocation.Instance, localsAsRoots: false);
                foreach (var held in summary.HeldAtExit)
                {
                    if (PathResolver.InCaller(held.Path, receiver, Array.Empty<AccessPath?>()) is { } path)
                    {
                        scopes.Add(new LockRef(path, held.Exclusive));
                    }
                }
            }
        }

        return scopes;
    }

    /// <summary>
    /// A <c>TryEnter</c> overload that reports through <c>ref bool lockTaken</c> (and returns nothing) is used as a
    /// statement and counts as held; one that returns its answer takes the lock only under that answer.
    /// </summary>
    private static LockRole RoleOf(LockApi api, IMethodSymbol method) =>
        api.Role == LockRole.TryEnter && method.ReturnsVoid ? LockRole.EnterWithFlag
        : api.Role == LockRole.Enter && method.Parameters.Any(p => p.RefKind == RefKind.Ref) ? LockRole.EnterWithFlag
        : api.Role;

    /// <summary>The object a lock API call locks: its first argument (<c>Monitor</c>) or its receiver.</summary>
    private AccessPath? LockObjectOf(LockApi api, IInvocationOperation invocation) =>
        api.Static
            ? (invocation.Arguments.Length > 0 ? _paths.PathOf(invocation.Arguments[0].Value, localsAsRoots: false) : null)
            : invocation.Instance is null ? null : _paths.PathOf(invocation.Instance, localsAsRoots: false);
}
