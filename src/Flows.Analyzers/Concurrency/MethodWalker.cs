using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Flows.Analyzers.Concurrency;

/// <summary>
/// Walks one method's operations in execution order and records what it reads and writes of state that outlives
/// the call (fields, statics, properties, array elements, objects from the member table), the locks held at each
/// access, and where it blocks. Calls into methods of the same compilation are summarized and folded in at the call.
/// </summary>
internal sealed class MethodWalker
{
    private const int MaxAccesses = 2000;

    private readonly SummaryCache _cache;
    private readonly KnownSymbols _symbols;
    private readonly IMethodSymbol _method;
    private readonly HashSet<IMethodSymbol> _inProgress;
    private readonly int _depth;
    private readonly CancellationToken _cancellationToken;
    private readonly ImmutableArray<Access>.Builder _accesses = ImmutableArray.CreateBuilder<Access>();
    private readonly ImmutableArray<BlockingCall>.Builder _blocking = ImmutableArray.CreateBuilder<BlockingCall>();
    private readonly List<LockRef> _held = new();
    private readonly HashSet<AccessPath> _completedTasks = new();
    private readonly HashSet<AccessPath> _completedCollections = new();

    // A local assigned exactly once: the value it was given, so that `var list = _items;` reads as `_items`.
    private readonly Dictionary<ILocalSymbol, IOperation?> _localValues = new(SymbolEqualityComparer.Default);
    private ImmutableArray<LockRef> _heldSnapshot = ImmutableArray<LockRef>.Empty;
    private bool _resumesElsewhere;
    private readonly HashSet<LockRef> _scopedToBlock = new();

    public MethodWalker(SummaryCache cache, IMethodSymbol method, HashSet<IMethodSymbol> inProgress, int depth, CancellationToken cancellationToken)
    {
        _cache = cache;
        _symbols = cache.Symbols;
        _method = method;
        _inProgress = inProgress;
        _depth = depth;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Set when a callee was cut off by the depth limit or the access limit was reached.</summary>
    public bool Truncated { get; private set; }

    /// <summary>The summary of the body whose operations are <paramref name="operation"/>.</summary>
    public MethodSummary Summarize(IOperation operation)
    {
        // An async method may resume on another thread after an await: its [ThreadStatic] storage is then another
        // thread's, shared with whatever runs there. Without an await, the whole body runs on one thread.
        _resumesElsewhere = _method.IsAsync && operation.Descendants().Any(o => o is IAwaitOperation);
        if (_symbols.IsSynchronizedMethod(_method))
        {
            // [MethodImpl(MethodImplOptions.Synchronized)]: the body runs under lock (this), or lock (typeof(T)) when static.
            Acquire(new LockRef(
                _method.IsStatic
                    ? new AccessPath(RootKind.Static, 0, _method.ContainingType, "typeof(" + _method.ContainingType.Name + ")", ImmutableArray<ISymbol>.Empty)
                    : AccessPath.This,
                exclusive: true));
        }

        var entered = _held.Count;
        CollectLocalValues(operation);
        Visit(operation);

        // Locks taken here and not released, other than those a using declaration scopes: this is a lock helper.
        var heldAtExit = ImmutableArray.CreateBuilder<LockRef>();
        for (var i = entered; i < _held.Count; i++)
        {
            if (!_scopedToBlock.Contains(_held[i]))
            {
                heldAtExit.Add(_held[i]);
            }
        }

        return new MethodSummary(_accesses.ToImmutable(), _blocking.ToImmutable(), heldAtExit.ToImmutable());
    }

    private void CollectLocalValues(IOperation root)
    {
        foreach (var operation in root.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator:
                    AssignLocal(declarator.Symbol, declarator.Initializer?.Value);
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment:
                    AssignLocal(local.Local, assignment.Value);
                    break;
                case ICompoundAssignmentOperation { Target: ILocalReferenceOperation local }:
                    Invalidate(local.Local);
                    break;
                case ICoalesceAssignmentOperation { Target: ILocalReferenceOperation local }:
                    Invalidate(local.Local);
                    break;
                case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation local }:
                    Invalidate(local.Local);
                    break;
                case IArgumentOperation { Value: ILocalReferenceOperation local, Parameter.RefKind: RefKind.Ref or RefKind.Out }:
                    Invalidate(local.Local);
                    break;
                case IDeclarationExpressionOperation { Expression: ILocalReferenceOperation local }:
                    Invalidate(local.Local);
                    break;
                case IDeconstructionAssignmentOperation deconstruction:
                    foreach (var target in deconstruction.Target.Descendants())
                    {
                        if (target is ILocalReferenceOperation local)
                        {
                            Invalidate(local.Local);
                        }
                    }

                    break;
            }
        }

        void AssignLocal(ILocalSymbol local, IOperation? value)
        {
            if (_localValues.ContainsKey(local))
            {
                _localValues[local] = null;
            }
            else
            {
                _localValues[local] = value;
            }
        }

        void Invalidate(ILocalSymbol local) => _localValues[local] = null;
    }

    private void Visit(IOperation? operation)
    {
        if (operation is null || Truncated)
        {
            return;
        }

        _cancellationToken.ThrowIfCancellationRequested();
        switch (operation)
        {
            case IFieldReferenceOperation field:
                Record(PathOf(field), Facet.Storage, AccessKind.Read, field);
                Visit(field.Instance);
                return;

            case IParameterReferenceOperation parameter:
                // A ref parameter is the caller's storage; a captured primary-constructor parameter is the instance's.
                Record(PathOf(parameter), Facet.Storage, AccessKind.Read, parameter);
                return;

            case IPropertyReferenceOperation property:
                VisitPropertyRead(property);
                return;

            case IArrayElementReferenceOperation element:
                Record(PathOf(element.ArrayReference), Facet.Elements, AccessKind.Read, element, index: IndexOf(element));
                Visit(element.ArrayReference);
                VisitAll(element.Indices);
                return;

            case ISimpleAssignmentOperation assignment:
                Visit(assignment.Value);
                VisitTarget(assignment.Target, AccessKind.Write, compound: null);
                if (assignment.Target is ILocalReferenceOperation target && IsCompletedTaskValue(assignment.Value))
                {
                    _completedTasks.Add(LocalPath(target.Local));
                }

                return;

            case ICompoundAssignmentOperation compound:
                Visit(compound.Value);
                VisitTarget(compound.Target, AccessKind.ReadWrite, CompoundOperator(compound.Target, compound.OperatorKind));
                return;

            case ICoalesceAssignmentOperation coalesce:
                VisitTarget(coalesce.Target, AccessKind.ReadWrite, "??=");
                Visit(coalesce.Value);
                return;

            case IIncrementOrDecrementOperation increment:
                VisitTarget(
                    increment.Target,
                    AccessKind.ReadWrite,
                    IsIntegral(increment.Target.Type) ? (increment.Kind is OperationKind.Increment ? "++" : "--") : null);
                return;

            case IDeconstructionAssignmentOperation deconstruction:
                Visit(deconstruction.Value);
                VisitTarget(deconstruction.Target, AccessKind.Write, compound: null);
                return;

            case IVariableDeclaratorOperation declarator:
                Visit(declarator.Initializer);
                if (declarator.Initializer?.Value is { } value && IsCompletedTaskValue(value))
                {
                    _completedTasks.Add(LocalPath(declarator.Symbol));
                }

                return;

            case IInvocationOperation invocation:
                VisitInvocation(invocation);
                return;

            case IAwaitOperation awaitOperation:
                Visit(awaitOperation.Operation);
                MarkCompleted(awaitOperation.Operation);
                return;

            case ILockOperation lockOperation:
                Visit(lockOperation.LockedValue);
                var lockPath = PathOf(lockOperation.LockedValue, localsAsRoots: false);
                if (lockPath is null)
                {
                    Visit(lockOperation.Body);
                    return;
                }

                Acquire(new LockRef(lockPath, exclusive: true));
                Visit(lockOperation.Body);
                Release(lockPath);
                return;

            case IUsingOperation usingOperation:
                Visit(usingOperation.Resources);
                var scopes = LockScopesOf(usingOperation.Resources);
                foreach (var scope in scopes)
                {
                    Acquire(scope);
                }

                Visit(usingOperation.Body);
                foreach (var scope in scopes)
                {
                    Release(scope.Path);
                }

                return;

            case IUsingDeclarationOperation usingDeclaration:
                Visit(usingDeclaration.DeclarationGroup);
                foreach (var declaredScope in LockScopesOf(usingDeclaration.DeclarationGroup))
                {
                    // Held to the end of the enclosing block; the walk does not track blocks, so to the end of the method.
                    Acquire(declaredScope);
                    _scopedToBlock.Add(declaredScope);
                }

                return;

            case IForEachLoopOperation loop:
                VisitForEach(loop);
                return;

            case IConditionalOperation conditional:
                VisitConditional(conditional);
                return;

            default:
                foreach (var child in operation.ChildOperations)
                {
                    Visit(child);
                }

                return;
        }
    }

    private void VisitAll(ImmutableArray<IOperation> operations)
    {
        foreach (var operation in operations)
        {
            Visit(operation);
        }
    }

    /// <summary>
    /// Whether <paramref name="target"/> is a field of a struct held in a local (not a ref local), through fields of
    /// structs only: storage of a copy, not of the object the copy was taken from.
    /// </summary>
    private static bool IsInLocalCopy(IOperation target)
    {
        var operation = target;
        while (operation is IFieldReferenceOperation { Instance: { } instance } && instance.Type?.IsValueType == true)
        {
            if (instance is ILocalReferenceOperation { Local.IsRef: false })
            {
                return true;
            }

            operation = instance;
        }

        return false;
    }

    /// <summary>Whether <paramref name="operation"/> names storage by a path (a field, property, static or ref parameter).</summary>
    private bool IsStoragePath(IOperation operation) =>
        Unwrap(operation) is IFieldReferenceOperation or IPropertyReferenceOperation or IParameterReferenceOperation
        && PathOf(operation, localsAsRoots: false) is not null;

    /// <summary>Visits what an access reads to reach its storage (<c>_stats</c> of <c>_stats.Count</c>), not the storage itself.</summary>
    private void VisitInstanceOf(IOperation operation)
    {
        switch (Unwrap(operation))
        {
            case IFieldReferenceOperation field:
                Visit(field.Instance);
                return;
            case IPropertyReferenceOperation property:
                Visit(property.Instance);
                return;
        }
    }

    private void VisitForEach(IForEachLoopOperation loop)
    {
        Visit(loop.Collection);
        var collection = Unwrap(loop.Collection);
        if (collection is not null && RuleOf(collection) is { } rule)
        {
            RecordContents(collection, rule, AccessKind.Read, "GetEnumerator", loop.Collection);
        }

        if (PathOf(collection, localsAsRoots: true) is { } collectionPath && _completedCollections.Contains(collectionPath)
            && loop.LoopControlVariable is IVariableDeclaratorOperation variable)
        {
            _completedTasks.Add(LocalPath(variable.Symbol));
        }

        Visit(loop.LoopControlVariable);
        Visit(loop.Body);
        VisitAll(loop.NextVariables);
    }

    private void VisitPropertyRead(IPropertyReferenceOperation property)
    {
        var symbol = property.Property;
        if (symbol.Name == "Result" && _symbols.IsTaskLike(symbol.ContainingType) && !IsCompleted(property.Instance, property))
        {
            _blocking.Add(new BlockingCall(BlockingKind.Result, property.Syntax.GetLocation(), via: null));
        }

        if (property.Instance is { } instance && RuleOf(instance) is { } rule)
        {
            RecordContents(instance, rule, rule.EveryUseIsWrite ? AccessKind.Write : AccessKind.Read, MemberName(property), property);
        }
        else if (symbol.GetMethod is { } getter && HasBody(getter) && !IsSynchronizedReceiver(property.Instance))
        {
            FollowCall(getter, property.Instance, property.Arguments, property);
        }
        else
        {
            Record(PathOf(property), Facet.Storage, AccessKind.Read, property);
        }

        Visit(property.Instance);
        foreach (var argument in property.Arguments)
        {
            Visit(argument.Value);
        }
    }

    private void VisitTarget(IOperation target, AccessKind kind, string? compound, bool atomic = false)
    {
        if (IsInLocalCopy(target))
        {
            // local.Count++ where `var local = _window;` copied a struct: the copy belongs to this invocation.
            return;
        }

        switch (target)
        {
            case IFieldReferenceOperation field:
                Record(PathOf(field), Facet.Storage, kind, field, atomic: atomic, compound: compound);
                Visit(field.Instance);
                return;

            case IPropertyReferenceOperation property:
                if (property.Instance is { } instance && RuleOf(instance) is { } rule)
                {
                    RecordContents(instance, rule, AccessKind.Write, MemberName(property), property);
                }
                else if (property.Property.SetMethod is { } setter && HasBody(setter) && !IsSynchronizedReceiver(property.Instance))
                {
                    FollowCall(setter, property.Instance, property.Arguments, property);
                    if (kind == AccessKind.ReadWrite && property.Property.GetMethod is { } getter && HasBody(getter))
                    {
                        FollowCall(getter, property.Instance, property.Arguments, property);
                    }
                }
                else
                {
                    Record(PathOf(property), Facet.Storage, kind, property, atomic: atomic, compound: compound);
                }

                Visit(property.Instance);
                foreach (var argument in property.Arguments)
                {
                    Visit(argument.Value);
                }

                return;

            case IArrayElementReferenceOperation element:
                Record(PathOf(element.ArrayReference), Facet.Elements, kind, element, atomic: atomic, index: IndexOf(element), compound: compound);
                Visit(element.ArrayReference);
                VisitAll(element.Indices);
                return;

            case ITupleOperation tuple:
                foreach (var part in tuple.Elements)
                {
                    VisitTarget(part, kind, compound: null);
                }

                return;

            case IConversionOperation conversion:
                VisitTarget(conversion.Operand, kind, compound, atomic);
                return;

            case IParameterReferenceOperation parameter:
                // A by-value parameter belongs to one invocation (Record drops it); a ref parameter is the caller's
                // storage, and a captured primary-constructor parameter is a field in all but name.
                Record(PathOf(parameter), Facet.Storage, kind, parameter, atomic: atomic, compound: compound);
                return;

            case ILocalReferenceOperation or IDiscardOperation or IDeclarationExpressionOperation:
                // Locals belong to one invocation.
                return;

            default:
                Visit(target);
                return;
        }
    }

    private void VisitInvocation(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var containing = method.ContainingType;

        if (ClassifyBlocking(invocation) is { } blocking)
        {
            _blocking.Add(new BlockingCall(blocking, invocation.Syntax.GetLocation(), via: null));
        }

        // Lambdas that only run on completed tasks: ContinueWith, or LINQ over tasks awaited with WhenAll.
        var receiver = invocation.Instance ?? (method.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
        var overCompleted = (method.Name == "ContinueWith" && _symbols.IsTaskLike(containing))
            || (receiver is not null && PathOf(Unwrap(receiver), localsAsRoots: true) is { } receiverPath && _completedCollections.Contains(receiverPath));
        if (overCompleted)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (LambdaOf(argument.Value) is { Symbol.Parameters: { Length: > 0 } parameters })
                {
                    _completedTasks.Add(new AccessPath(RootKind.Local, 0, parameters[0], parameters[0].Name, ImmutableArray<ISymbol>.Empty));
                }
            }
        }

        // Interlocked, Volatile and the publication helpers built on them (SynchronizationApis.AtomicRefTypes).
        var atomic = containing is not null && _symbols.AtomicRefTypes.Contains(containing.OriginalDefinition);
        var followed = !atomic && HasBody(method) && !IsSynchronizedReceiver(invocation.Instance);
        Visit(invocation.Instance);
        foreach (var argument in invocation.Arguments)
        {
            var refKind = argument.Parameter?.RefKind ?? RefKind.None;
            if (refKind is RefKind.Ref or RefKind.Out && followed && IsStoragePath(argument.Value))
            {
                // A helper of this compilation: what it does through the ref parameter is in its summary, folded in
                // at this call (a compare-exchange loop stays atomic, `target = value` stays a plain write).
                VisitInstanceOf(argument.Value);
            }
            else if (refKind is RefKind.Ref or RefKind.Out)
            {
                var kind = atomic
                    ? SynchronizationApis.AtomicReads.Contains(method.Name) ? AccessKind.Read
                        : SynchronizationApis.AtomicWrites.Contains(method.Name) ? AccessKind.Write : AccessKind.ReadWrite
                    : refKind == RefKind.Out ? AccessKind.Write : AccessKind.ReadWrite;
                VisitTarget(argument.Value, kind, compound: null, atomic: atomic);
            }
            else
            {
                Visit(argument.Value);
            }
        }

        if (TrackLock(invocation))
        {
            return;
        }

        if (receiver is not null && RuleOf(receiver) is { } rule)
        {
            var kind = invocation.Instance is null
                ? (MemberTable.IsWritingExtension(method) ? AccessKind.Write : AccessKind.Read)
                : rule.Classify(method.Name);
            RecordContents(receiver, rule, kind, MemberName(invocation), invocation);
            return;
        }

        if (HasBody(method))
        {
            if (!IsSynchronizedReceiver(invocation.Instance))
            {
                FollowCall(method, invocation.Instance, invocation.Arguments, invocation);
            }
            else
            {
                FollowBlockingOnly(method, invocation);
            }

            return;
        }

        // A call through an interface or to an abstract method runs one of the implementations this compilation
        // declares (a service injected as ISink, say): what any of them does is what the call may do.
        if (!method.IsStatic && method.IsAbstract && invocation.Instance is not null)
        {
            var implementations = _cache.ImplementationsOf(method, _cancellationToken);
            if (!implementations.IsEmpty)
            {
                var synchronized = IsSynchronizedReceiver(invocation.Instance);
                foreach (var implementation in implementations)
                {
                    if (!HasBody(implementation))
                    {
                        continue;
                    }

                    if (synchronized)
                    {
                        FollowBlockingOnly(implementation, invocation);
                    }
                    else
                    {
                        FollowCall(implementation, invocation.Instance, invocation.Arguments, invocation);
                    }
                }

                return;
            }
        }

        // A method we cannot see (string.Join, Enumerable.Sum, …) reads the table objects it is given.
        foreach (var argument in invocation.Arguments)
        {
            if ((argument.Parameter is null || argument.Parameter.RefKind == RefKind.None) && RuleOf(argument.Value) is { } argumentRule)
            {
                RecordContents(argument.Value, argumentRule, argumentRule.EveryUseIsWrite ? AccessKind.Write : AccessKind.Read, method.Name, invocation);
            }
        }
    }

    private BlockingKind? ClassifyBlocking(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var containing = method.ContainingType;
        switch (method.Name)
        {
            case "Wait" when !method.IsStatic && _symbols.IsTaskLike(containing):
                return IsCompleted(invocation.Instance, invocation) ? null : BlockingKind.Wait;
            case "WaitAll" when method.IsStatic && _symbols.IsTaskLike(containing):
                return BlockingKind.WaitAll;
            case "WaitAny" when method.IsStatic && _symbols.IsTaskLike(containing):
                return BlockingKind.WaitAny;
            case "Sleep" when KnownSymbols.Same(containing, _symbols.Thread):
                return BlockingKind.Sleep;
            case "GetResult" when !method.IsStatic && containing is not null && containing.Name.EndsWith("Awaiter", StringComparison.Ordinal)
                && containing.ContainingNamespace?.ToDisplayString() == "System.Runtime.CompilerServices":
                // task.GetAwaiter().GetResult(), or task.ConfigureAwait(false).GetAwaiter().GetResult().
                var awaitable = Unwrap(invocation.Instance) is IInvocationOperation { TargetMethod.Name: "GetAwaiter" } getAwaiter ? getAwaiter.Instance : null;
                if (Unwrap(awaitable) is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configured)
                {
                    awaitable = configured.Instance;
                }

                return awaitable is not null && IsCompleted(awaitable, invocation) ? null : BlockingKind.GetResult;
            default:
                return null;
        }
    }

    /// <summary>
    /// The lock APIs of <see cref="SynchronizationApis.Locks"/> (Monitor, Lock, ReaderWriterLockSlim) and a
    /// one-at-a-time SemaphoreSlim: acquire and release change the locks held. A <c>TryEnter</c> that returns its
    /// answer takes the lock only where the answer is known to be true (<see cref="TryLockOf"/>).
    /// </summary>
    private bool TrackLock(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var containing = method.ContainingType;
        if (_symbols.LockApiOf(method) is { } api)
        {
            var lockObject = api.Static
                ? (invocation.Arguments.Length > 0 ? PathOf(invocation.Arguments[0].Value, localsAsRoots: false) : null)
                : invocation.Instance is null ? null : PathOf(invocation.Instance, localsAsRoots: false);
            if (lockObject is null)
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

        if (invocation.Instance is null || PathOf(invocation.Instance, localsAsRoots: false) is not { } path)
        {
            return KnownSymbols.Same(containing, _symbols.SemaphoreSlim);
        }

        if (KnownSymbols.Same(containing, _symbols.SemaphoreSlim))
        {
            var untimed = invocation.Arguments.All(a => a.Value.Type?.Name == "CancellationToken");
            if (method.Name is "Wait" or "WaitAsync" && untimed && IsStatement(invocation) && _cache.IsMutexSemaphore(path.Last, _cancellationToken))
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
    /// A <c>TryEnter</c> overload that reports through <c>ref bool lockTaken</c> (and returns nothing) is used as a
    /// statement and counts as held; one that returns its answer takes the lock only under that answer.
    /// </summary>
    private static LockRole RoleOf(LockApi api, IMethodSymbol method) =>
        api.Role == LockRole.TryEnter && method.ReturnsVoid ? LockRole.EnterWithFlag
        : api.Role == LockRole.Enter && method.Parameters.Any(p => p.RefKind == RefKind.Ref) ? LockRole.EnterWithFlag
        : api.Role;

    /// <summary>
    /// The lock a condition takes when it is true: <c>Monitor.TryEnter(x, …)</c>, <c>rw.TryEnterWriteLock(…)</c>,
    /// <c>_lock.TryEnter()</c>; with <paramref name="negated"/> set, when it is false (<c>if (!Monitor.TryEnter(x)) return;</c>).
    /// </summary>
    private LockRef? TryLockOf(IOperation condition, out bool negated)
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

        var lockObject = api.Static
            ? (invocation.Arguments.Length > 0 ? PathOf(invocation.Arguments[0].Value, localsAsRoots: false) : null)
            : invocation.Instance is null ? null : PathOf(invocation.Instance, localsAsRoots: false);
        return lockObject is null ? null : new LockRef(lockObject, api.Exclusive);
    }

    /// <summary>Whether control never leaves <paramref name="operation"/> normally: it returns, throws, breaks or continues.</summary>
    private static bool AlwaysExits(IOperation? operation) => operation switch
    {
        IReturnOperation or IThrowOperation or IBranchOperation => true,
        IExpressionStatementOperation { Operation: IThrowOperation } => true,
        IBlockOperation { Operations: { Length: > 0 } operations } => AlwaysExits(operations[operations.Length - 1]),
        _ => false,
    };

    private void VisitConditional(IConditionalOperation conditional)
    {
        Visit(conditional.Condition);
        var tryLock = TryLockOf(conditional.Condition, out var negated);
        if (tryLock is not { } held)
        {
            Visit(conditional.WhenTrue);
            Visit(conditional.WhenFalse);
            return;
        }

        if (negated)
        {
            // if (!Monitor.TryEnter(x, t)) return; … the rest runs holding x (until Exit).
            Visit(conditional.WhenTrue);
            Visit(conditional.WhenFalse);
            if (conditional.WhenFalse is null && AlwaysExits(conditional.WhenTrue))
            {
                Acquire(held);
            }

            return;
        }

        // if (Monitor.TryEnter(x, t)) { try { … } finally { Monitor.Exit(x); } } else { … }
        Acquire(held);
        Visit(conditional.WhenTrue);
        Release(held.Path);
        Visit(conditional.WhenFalse);
    }

    /// <summary>
    /// The locks a <c>using</c> holds for its block: <c>using (_lock.EnterScope())</c> on a <c>System.Threading.Lock</c>,
    /// and <c>using (await _gate.EnterAsync())</c> on a lock helper of this compilation that returns holding a lock
    /// (<see cref="MethodSummary.HeldAtExit"/>), its lock seen from here (<c>_gate._semaphore</c>).
    /// </summary>
    private List<LockRef> LockScopesOf(IOperation? resources)
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
                if (PathOf(instance, localsAsRoots: false) is { } path)
                {
                    scopes.Add(new LockRef(path, exclusive: true));
                }
            }
            else if (HasBody(invocation.TargetMethod))
            {
                var summary = _cache.Get(invocation.TargetMethod, _inProgress, _depth + 1, _cancellationToken, out _);
                var receiver = invocation.TargetMethod.IsStatic ? null
                    : invocation.Instance is null ? AccessPath.This : PathOf(invocation.Instance, localsAsRoots: false);
                foreach (var held in summary.HeldAtExit)
                {
                    if (Map(held.Path, receiver, Array.Empty<AccessPath?>()) is { } path)
                    {
                        scopes.Add(new LockRef(path, held.Exclusive));
                    }
                }
            }
        }

        return scopes;
    }

    private static bool IsStatement(IOperation operation)
    {
        var parent = operation.Parent;
        if (parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" })
        {
            parent = parent.Parent;
        }

        if (parent is IAwaitOperation)
        {
            parent = parent.Parent;
        }

        return parent is IExpressionStatementOperation;
    }

    private void FollowCall(IMethodSymbol callee, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, IOperation callSite)
    {
        var summary = _cache.Get(callee, _inProgress, _depth + 1, _cancellationToken, out var truncated);
        Truncated |= truncated;
        if (summary.Accesses.IsEmpty && summary.BlockingCalls.IsEmpty)
        {
            return;
        }

        var location = callSite.Syntax.GetLocation();
        if (!summary.BlockingCalls.IsEmpty)
        {
            _blocking.Add(new BlockingCall(summary.BlockingCalls[0].Kind, location, callee.Name));
        }

        if (summary.Accesses.IsEmpty)
        {
            return;
        }

        var receiver = callee.IsStatic ? null : instance is null ? AccessPath.This : PathOf(instance, localsAsRoots: false);
        var parameterCount = SummaryCache.Implementation(callee).Parameters.Length;
        var argumentPaths = new AccessPath?[parameterCount];
        var argumentIndexes = new int[parameterCount];
        for (var i = 0; i < parameterCount; i++)
        {
            argumentIndexes[i] = IndexSource.Unknown;
        }

        foreach (var argument in arguments)
        {
            if (argument.Parameter is { } parameter && parameter.Ordinal < parameterCount && argument.ArgumentKind == ArgumentKind.Explicit)
            {
                argumentPaths[parameter.Ordinal] = PathOf(argument.Value, localsAsRoots: false);
                argumentIndexes[parameter.Ordinal] = IndexSourceOf(argument.Value);
            }
        }

        foreach (var access in summary.Accesses)
        {
            var path = Map(access.Key.Path, receiver, argumentPaths);
            if (path is null || IsProtected(path, access.Key.Facet))
            {
                continue;
            }

            var locks = _heldSnapshot;
            foreach (var held in access.Locks)
            {
                if (Map(held.Path, receiver, argumentPaths) is { } lockPath)
                {
                    locks = locks.Add(new LockRef(lockPath, held.Exclusive));
                }
            }

            var index = access.Index >= 0 ? (access.Index < parameterCount ? argumentIndexes[access.Index] : IndexSource.Unknown) : access.Index;
            Add(access.With(new AccessKey(path, access.Key.Facet), index, locks, location));
            if (Truncated)
            {
                return;
            }
        }
    }

    private void FollowBlockingOnly(IMethodSymbol callee, IOperation callSite)
    {
        var summary = _cache.Get(callee, _inProgress, _depth + 1, _cancellationToken, out var truncated);
        Truncated |= truncated;
        if (!summary.BlockingCalls.IsEmpty)
        {
            _blocking.Add(new BlockingCall(summary.BlockingCalls[0].Kind, callSite.Syntax.GetLocation(), callee.Name));
        }
    }

    private static AccessPath? Map(AccessPath path, AccessPath? receiver, AccessPath?[] arguments) => path.Kind switch
    {
        RootKind.This => receiver is null ? null : path.Rebase(receiver),
        RootKind.Parameter => path.Index < arguments.Length && arguments[path.Index] is { } argument ? path.Rebase(argument) : null,
        RootKind.Static => path,
        _ => null,
    };

    private void RecordContents(IOperation receiver, TypeRule rule, AccessKind kind, string member, IOperation at)
    {
        var type = Unwrap(receiver)?.Type;
        var path = PathOf(receiver, localsAsRoots: false);
        if (path is null || type is null)
        {
            return;
        }

        // HttpClient.DefaultRequestHeaders is part of the client: headers changed there are sent by every request.
        if (path.Last is IPropertySymbol { Name: "DefaultRequestHeaders" } && path.Members.Length > 0)
        {
            var client = path.Members.RemoveAt(path.Members.Length - 1);
            type = ((IPropertySymbol)path.Last).ContainingType;
            path = client.IsEmpty && path.RootSymbol is null && path.Kind == RootKind.This
                ? AccessPath.This
                : new AccessPath(path.Kind, path.Index, path.RootSymbol, path.RootName, client);
            member = "DefaultRequestHeaders." + member;
        }

        if (IsProtected(path, Facet.Contents))
        {
            return;
        }

        Add(new Access(
            new AccessKey(path, Facet.Contents),
            kind,
            atomic: false,
            IndexSource.Unknown,
            _heldSnapshot,
            at.Syntax.GetLocation(),
            member,
            rule.Category,
            type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
            compoundOperator: null));
    }

    private void Record(AccessPath? path, Facet facet, AccessKind kind, IOperation at, bool atomic = false, int index = IndexSource.Unknown, string? compound = null)
    {
        if (path is null || path.Kind == RootKind.Local)
        {
            return;
        }

        if (facet == Facet.Storage)
        {
            var storage = path.Last;
            if (path.Members.IsEmpty && path.Kind != RootKind.Static
                && !(path.Kind == RootKind.Parameter && path.RootSymbol is IParameterSymbol { RefKind: not RefKind.None }))
            {
                // A by-value parameter or `this` itself: not shared storage. A ref parameter is the caller's storage,
                // mapped onto it where the call is folded in.
                return;
            }

            // Read-only storage is written only while the object is constructed, before any step runs.
            if (kind == AccessKind.Read && IsReadOnly(storage))
            {
                return;
            }

            if (storage is IFieldSymbol { IsVolatile: true } && kind != AccessKind.ReadWrite)
            {
                atomic = true;
            }
        }

        if (IsProtected(path, facet))
        {
            return;
        }

        Add(new Access(new AccessKey(path, facet), kind, atomic, index, _heldSnapshot, at.Syntax.GetLocation(), string.Empty, ObjectCategory.None, string.Empty, compound));
    }

    private void Add(Access access)
    {
        if (_accesses.Count >= MaxAccesses)
        {
            Truncated = true;
            return;
        }

        _accesses.Add(access);
    }

    private static bool IsReadOnly(ISymbol? storage) => storage switch
    {
        IFieldSymbol field => field.IsReadOnly || field.IsConst,
        IPropertySymbol property => property.SetMethod is null && property.IsReadOnly && IsAutoProperty(property),
        _ => false,
    };

    private static bool IsAutoProperty(IPropertySymbol property)
    {
        if (property.GetMethod is not { } getter || getter.DeclaringSyntaxReferences.Length == 0)
        {
            return false;
        }

        foreach (var reference in getter.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.AccessorDeclarationSyntax { Body: null, ExpressionBody: null })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether accesses at <paramref name="path"/> are synchronized by what they go through: a member marked
    /// <c>[ThreadSafe]</c>, or an object of a thread-safe type on the way (for storage, the object holding it).
    /// </summary>
    private bool IsProtected(AccessPath path, Facet facet)
    {
        var table = _symbols.Table;
        if (path.Kind == RootKind.This && table.IsThreadSafe(_method.ContainingType))
        {
            return true;
        }

        // A [ThreadStatic] field, and what it holds, is per thread in a body that stays on one thread.
        if (path.Kind == RootKind.Static && !_resumesElsewhere && _symbols.IsThreadStatic(path.RootSymbol))
        {
            return true;
        }

        if (path.RootSymbol is { } root && (table.IsMarkedThreadSafe(root) || (path.Members.Length > 0 && table.IsThreadSafe(TypeOf(root)))))
        {
            return true;
        }

        var members = path.Members;
        for (var i = 0; i < members.Length; i++)
        {
            if (table.IsMarkedThreadSafe(members[i]))
            {
                return true;
            }

            var holdsOthers = i < members.Length - 1 || facet != Facet.Storage;
            if (holdsOthers && table.IsThreadSafe(TypeOf(members[i])))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsSynchronizedReceiver(IOperation? instance)
    {
        if (instance is null)
        {
            return false;
        }

        if (_symbols.Table.IsThreadSafe(Unwrap(instance)?.Type))
        {
            return true;
        }

        return PathOf(instance, localsAsRoots: false) is { } path && IsProtected(path, Facet.Contents);
    }

    private TypeRule? RuleOf(IOperation? operation)
    {
        var type = Unwrap(operation)?.Type;
        return type is null ? null : _symbols.Table.RuleFor(type);
    }

    private bool HasBody(IMethodSymbol method) =>
        _cache.HasSource(method) && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _cache.Compilation.Assembly);

    private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
    {
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        IParameterSymbol parameter => parameter.Type,
        ILocalSymbol local => local.Type,
        ITypeSymbol type => type,
        _ => null,
    };

    private static string MemberName(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => invocation.TargetMethod.Name,
        IPropertyReferenceOperation { Arguments.Length: > 0 } => "indexer",
        IPropertyReferenceOperation property => property.Property.Name,
        _ => string.Empty,
    };

    private void Acquire(LockRef held)
    {
        _held.Add(held);
        _heldSnapshot = _held.ToImmutableArray();
    }

    private void Release(AccessPath path)
    {
        for (var i = _held.Count - 1; i >= 0; i--)
        {
            if (_held[i].Path.Equals(path))
            {
                _held.RemoveAt(i);
                _heldSnapshot = _held.ToImmutableArray();
                return;
            }
        }
    }

    /// <summary>
    /// The path of the value <paramref name="operation"/> yields, when it is a field, property, parameter or static
    /// (through locals assigned once). With <paramref name="localsAsRoots"/>, locals and lambda parameters are roots of
    /// their own: how completed tasks are tracked.
    /// </summary>
    private AccessPath? PathOf(IOperation? operation, bool localsAsRoots = false, int depth = 0)
    {
        if (depth > 8)
        {
            return null;
        }

        switch (operation)
        {
            case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                return AccessPath.This;

            case IFieldReferenceOperation field:
                if (field.Field.IsConst)
                {
                    return null;
                }

                return field.Field.IsStatic
                    ? StaticRoot(field.Field)
                    : PathOf(field.Instance, localsAsRoots, depth + 1)?.Append(field.Field);

            case IPropertyReferenceOperation property:
                if (property.Arguments.Length > 0 || IsRandomShared(property.Property))
                {
                    return null;
                }

                return property.Property.IsStatic
                    ? StaticRoot(property.Property)
                    : PathOf(property.Instance, localsAsRoots, depth + 1)?.Append(property.Property);

            case IParameterReferenceOperation parameter:
                var owner = parameter.Parameter.ContainingSymbol;
                if (SymbolEqualityComparer.Default.Equals(owner, _method))
                {
                    return new AccessPath(RootKind.Parameter, parameter.Parameter.Ordinal, parameter.Parameter, parameter.Parameter.Name, ImmutableArray<ISymbol>.Empty);
                }

                if (owner is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
                    && SymbolEqualityComparer.Default.Equals(constructor.ContainingType, _method.ContainingType)
                    && !_method.IsStatic)
                {
                    // A primary-constructor parameter captured by a member: state of the instance.
                    return AccessPath.This.Append(parameter.Parameter);
                }

                return localsAsRoots ? LocalPath(parameter.Parameter) : null;

            case ILocalReferenceOperation local:
                if (localsAsRoots)
                {
                    return LocalPath(local.Local);
                }

                return _localValues.TryGetValue(local.Local, out var value) && value is not null
                    ? PathOf(value, localsAsRoots, depth + 1)
                    : null;

            case IConversionOperation { OperatorMethod: null } conversion:
                return PathOf(conversion.Operand, localsAsRoots, depth + 1);

            case ITypeOfOperation typeOf:
                return new AccessPath(RootKind.Static, 0, typeOf.TypeOperand, "typeof(" + typeOf.TypeOperand.Name + ")", ImmutableArray<ISymbol>.Empty);

            default:
                return null;
        }
    }

    private static AccessPath StaticRoot(ISymbol member) =>
        new(RootKind.Static, 0, member, (member.ContainingType?.Name is { Length: > 0 } type ? type + "." : string.Empty) + member.Name, ImmutableArray<ISymbol>.Empty);

    private static AccessPath LocalPath(ISymbol local) => new(RootKind.Local, 0, local, local.Name, ImmutableArray<ISymbol>.Empty);

    private bool IsRandomShared(IPropertySymbol property) =>
        property.IsStatic && property.Name == "Shared" && KnownSymbols.Same(property.ContainingType, _symbols.Table.Random);

    private int IndexOf(IArrayElementReferenceOperation element) =>
        element.Indices.Length == 1 ? IndexSourceOf(element.Indices[0]) : IndexSource.Unknown;

    /// <summary><c>context.Index</c> (also through a local), or the parameter an index comes from.</summary>
    private int IndexSourceOf(IOperation? operation, int depth = 0)
    {
        if (operation?.ConstantValue is { HasValue: true, Value: int constant } && constant >= 0)
        {
            return IndexSource.Constant(constant);
        }

        switch (Unwrap(operation))
        {
            case IPropertyReferenceOperation { Property.Name: "Index" } property
                when KnownSymbols.Same(property.Property.ContainingType, _symbols.StepContext):
                return IndexSource.ItemIndex;
            case IParameterReferenceOperation parameter when SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, _method):
                return parameter.Parameter.Ordinal;
            case ILocalReferenceOperation local when depth < 4 && _localValues.TryGetValue(local.Local, out var value) && value is not null:
                return IndexSourceOf(value, depth + 1);
            case IInvocationOperation { TargetMethod.Name: "Increment" or "Decrement" } counter
                when KnownSymbols.Same(counter.TargetMethod.ContainingType, _symbols.Interlocked):
                // Each call returns a value no other call returns: a slot of its own.
                return IndexSource.Claimed;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract, RightOperand.ConstantValue.HasValue: true } shifted
                when depth < 4 && IndexSourceOf(shifted.LeftOperand, depth + 1) == IndexSource.Claimed:
                return IndexSource.Claimed;
            default:
                return IndexSource.Unknown;
        }
    }

    private static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation { OperatorMethod: null } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private static IAnonymousFunctionOperation? LambdaOf(IOperation? operation) => Unwrap(operation) switch
    {
        IAnonymousFunctionOperation lambda => lambda,
        IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } => lambda,
        _ => null,
    };

    private static string? CompoundOperator(IOperation target, BinaryOperatorKind kind)
    {
        if (!IsIntegral(target.Type))
        {
            return null;
        }

        return kind switch
        {
            BinaryOperatorKind.Add => "+",
            BinaryOperatorKind.Subtract => "-",
            _ => null,
        };
    }

    private static bool IsIntegral(ITypeSymbol? type) =>
        type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt32 or SpecialType.System_UInt64;

    /// <summary>Marks what an <c>await</c> completed: the task itself, or every task given to <c>Task.WhenAll</c>/<c>WhenAny</c>.</summary>
    private void MarkCompleted(IOperation awaited)
    {
        var operation = Unwrap(awaited);
        if (operation is IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (method.Name == "ConfigureAwait" && invocation.Instance is not null)
            {
                MarkCompleted(invocation.Instance);
                return;
            }

            if (method.Name == "WhenAll" && method.IsStatic && _symbols.IsTaskLike(method.ContainingType))
            {
                foreach (var argument in invocation.Arguments)
                {
                    var value = Unwrap(argument.Value);
                    if (value is IArrayCreationOperation { Initializer: { } initializer })
                    {
                        foreach (var element in initializer.ElementValues)
                        {
                            if (PathOf(Unwrap(element), localsAsRoots: true) is { } elementPath)
                            {
                                _completedTasks.Add(elementPath);
                            }
                        }
                    }
                    else if (PathOf(value, localsAsRoots: true) is { } path)
                    {
                        if (_symbols.IsTaskLike(value?.Type))
                        {
                            _completedTasks.Add(path);
                        }
                        else
                        {
                            _completedCollections.Add(path);
                        }
                    }
                }
            }

            return;
        }

        if (PathOf(operation, localsAsRoots: true) is { } awaitedPath)
        {
            _completedTasks.Add(awaitedPath);
        }
    }

    /// <summary><c>await Task.WhenAny(…)</c> gives a task that has completed.</summary>
    private bool IsCompletedTaskValue(IOperation value) =>
        Unwrap(value) is IAwaitOperation { Operation: var awaited }
        && Unwrap(awaited) is IInvocationOperation { TargetMethod: { Name: "WhenAny", IsStatic: true } whenAny }
        && _symbols.IsTaskLike(whenAny.ContainingType);

    /// <summary>Whether the task <paramref name="task"/> is known to have completed where <paramref name="use"/> reads it.</summary>
    private bool IsCompleted(IOperation? task, IOperation use)
    {
        var operation = Unwrap(task);
        switch (operation)
        {
            case null:
                return false;
            case IAwaitOperation:
                return true;
            case IArrayElementReferenceOperation element when PathOf(Unwrap(element.ArrayReference), localsAsRoots: true) is { } array && _completedCollections.Contains(array):
                return true;
            case IPropertyReferenceOperation { Arguments.Length: > 0, Instance: { } list } when PathOf(Unwrap(list), localsAsRoots: true) is { } listPath && _completedCollections.Contains(listPath):
                return true;
            case IInvocationOperation { TargetMethod.IsExtensionMethod: true, Arguments.Length: > 0 } extension
                when PathOf(Unwrap(extension.Arguments[0].Value), localsAsRoots: true) is { } source && _completedCollections.Contains(source):
                return true;
        }

        var path = PathOf(operation, localsAsRoots: true);
        if (path is null)
        {
            return false;
        }

        if (_completedTasks.Contains(path))
        {
            return true;
        }

        // What the code establishes on the way to the use: the branch of a test that the task completed
        // (if (t.IsCompleted) { … t.Result … }, t.IsCompletedSuccessfully ? t.Result : …, if (await Task.WhenAny(t, d) == t)),
        // or an early exit when it did not (if (!t.IsCompletedSuccessfully) return …; … t.Result).
        for (var node = use; node?.Parent is { } parent; node = parent)
        {
            if (parent is IConditionalOperation conditional)
            {
                if ((ReferenceEquals(conditional.WhenTrue, node) && ImpliesCompleted(conditional.Condition, path, whenTrue: true))
                    || (ReferenceEquals(conditional.WhenFalse, node) && ImpliesCompleted(conditional.Condition, path, whenTrue: false)))
                {
                    return true;
                }
            }
            else if (parent is IBlockOperation block)
            {
                foreach (var statement in block.Operations)
                {
                    if (ReferenceEquals(statement, node))
                    {
                        break;
                    }

                    if (statement is IConditionalOperation { WhenFalse: null } guard && AlwaysExits(guard.WhenTrue)
                        && ImpliesCompleted(guard.Condition, path, whenTrue: false))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="condition"/> being <paramref name="whenTrue"/> means <paramref name="task"/> has
    /// completed: <c>IsCompleted</c>, <c>IsCompletedSuccessfully</c>, <c>IsFaulted</c>, <c>IsCanceled</c>, <c>Status ==</c>,
    /// equality with a task known complete (the one <c>Task.WhenAny</c> returned), through <c>!</c>, <c>&amp;&amp;</c>, <c>||</c>.
    /// </summary>
    private bool ImpliesCompleted(IOperation condition, AccessPath task, bool whenTrue)
    {
        switch (Unwrap(condition))
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return ImpliesCompleted(not.Operand, task, !whenTrue);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both when whenTrue:
                return ImpliesCompleted(both.LeftOperand, task, true) || ImpliesCompleted(both.RightOperand, task, true);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } either when !whenTrue:
                return ImpliesCompleted(either.LeftOperand, task, false) || ImpliesCompleted(either.RightOperand, task, false);

            case IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsCompletedSuccessfully" or "IsFaulted" or "IsCanceled", Instance: { } instance } when whenTrue:
                return IsPath(instance, task);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison
                when whenTrue == (comparison.OperatorKind == BinaryOperatorKind.Equals):
                return (comparison.LeftOperand is IPropertyReferenceOperation { Property.Name: "Status", Instance: { } status } && IsPath(status, task))
                    || (IsPath(comparison.LeftOperand, task) && IsKnownComplete(comparison.RightOperand))
                    || (IsPath(comparison.RightOperand, task) && IsKnownComplete(comparison.LeftOperand));

            default:
                return false;
        }
    }

    private bool IsPath(IOperation operation, AccessPath path) =>
        PathOf(Unwrap(operation), localsAsRoots: true) is { } found && found.Equals(path);

    private bool IsKnownComplete(IOperation operation) =>
        PathOf(Unwrap(operation), localsAsRoots: true) is { } found && _completedTasks.Contains(found);
}
