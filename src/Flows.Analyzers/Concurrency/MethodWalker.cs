using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using static Flows.Analyzers.Concurrency.OperationShapes;

namespace Flows.Analyzers.Concurrency;

/// <summary>
/// Walks one method's operations in execution order and records what it reads and writes of state that outlives
/// the call (fields, statics, properties, array elements, objects from the member table), the locks held at each
/// access, and where it blocks. Calls into methods of the same compilation are summarized and folded in at the call.
/// </summary>
/// <remarks>
/// The walk is all it does; it asks the others: what a local stands for (<see cref="LocalValues"/>), what an operation
/// names (<see cref="PathResolver"/>), which locks are held (<see cref="LockTracker"/>), which tasks have completed
/// (<see cref="TaskCompletionFacts"/>), what blocks (<see cref="BlockingApis"/>), what is recorded and what is
/// protected (<see cref="AccessRecorder"/>), and what a callee does (<see cref="Callees"/>). The walk of calls is in
/// MethodWalker.Calls.cs.
/// </remarks>
internal sealed partial class MethodWalker
{
    private readonly IMethodSymbol _method;
    private readonly IOperation _body;
    private readonly KnownSymbols _symbols;
    private readonly CancellationToken _cancellationToken;
    private readonly Callees _callees;
    private readonly PathResolver _paths;
    private readonly LockTracker _locks;
    private readonly TaskCompletionFacts _tasks;
    private readonly AccessRecorder _accesses;
    private readonly ImmutableArray<BlockingCall>.Builder _blocking = ImmutableArray.CreateBuilder<BlockingCall>();
    private bool _calleeTruncated;

    /// <param name="body">The operations of <paramref name="method"/>'s body.</param>
    /// <param name="inProgress">The methods whose summaries are being computed further up: a call to one is recursion, cut.</param>
    /// <param name="depth">How many calls deep this method is from the step (<see cref="SummaryCache.MaxDepth"/>).</param>
    public MethodWalker(SummaryCache cache, IMethodSymbol method, IOperation body, HashSet<IMethodSymbol> inProgress, int depth, CancellationToken cancellationToken)
    {
        _method = method;
        _body = body;
        _symbols = cache.Symbols;
        _cancellationToken = cancellationToken;
        _callees = new Callees(cache, inProgress, depth, cancellationToken);
        _paths = new PathResolver(method, _symbols, LocalValues.Of(body));
        _locks = new LockTracker(_symbols, _paths, _callees);
        _tasks = new TaskCompletionFacts(_symbols, _paths);

        // An async method may resume on another thread after an await: its [ThreadStatic] storage is then another
        // thread's, shared with whatever runs there. Without an await, the whole body runs on one thread.
        var resumesElsewhere = method.IsAsync && body.Descendants().Any(o => o is IAwaitOperation);
        _accesses = new AccessRecorder(method, _symbols, _paths, _locks, resumesElsewhere);
    }

    /// <summary>Set when a callee was cut off by the depth limit or the access limit was reached.</summary>
    public bool Truncated => _calleeTruncated || _accesses.Truncated;

    /// <summary>The summary of the body.</summary>
    public MethodSummary Summarize()
    {
        _locks.EnterBodyOf(_method);
        var entered = _locks.Count;
        Visit(_body);

        // Locks taken here and not released, other than those a using declaration scopes: this is a lock helper.
        return new MethodSummary(_accesses.ToImmutable(), _blocking.ToImmutable(), _locks.HeldSince(entered));
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
                _accesses.Record(_paths.PathOf(field), Facet.Storage, AccessKind.Read, field);
                Visit(field.Instance);
                return;

            case IParameterReferenceOperation parameter:
                // A ref parameter is the caller's storage; a captured primary-constructor parameter is the instance's.
                _accesses.Record(_paths.PathOf(parameter), Facet.Storage, AccessKind.Read, parameter);
                return;

            case IPropertyReferenceOperation property:
                VisitPropertyRead(property);
                return;

            case IArrayElementReferenceOperation element:
                _accesses.Record(_paths.PathOf(element.ArrayReference), Facet.Elements, AccessKind.Read, element, index: _paths.IndexOf(element));
                Visit(element.ArrayReference);
                VisitAll(element.Indices);
                return;

            case ISimpleAssignmentOperation assignment:
                Visit(assignment.Value);
                VisitTarget(assignment.Target, AccessKind.Write, compound: null);
                if (assignment.Target is ILocalReferenceOperation target)
                {
                    _tasks.Assigned(target.Local, assignment.Value);
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
                if (declarator.Initializer?.Value is { } value)
                {
                    _tasks.Assigned(declarator.Symbol, value);
                }

                return;

            case IInvocationOperation invocation:
                VisitInvocation(invocation);
                return;

            case IAwaitOperation awaitOperation:
                Visit(awaitOperation.Operation);
                _tasks.Awaited(awaitOperation.Operation);
                return;

            case ILockOperation lockOperation:
                Visit(lockOperation.LockedValue);
                if (_locks.LockOf(lockOperation) is not { } held)
                {
                    Visit(lockOperation.Body);
                    return;
                }

                _locks.Acquire(held);
                Visit(lockOperation.Body);
                _locks.Release(held.Path);
                return;

            case IUsingOperation usingOperation:
                Visit(usingOperation.Resources);
                var scopes = _locks.ScopesOf(usingOperation.Resources);
                foreach (var scope in scopes)
                {
                    _locks.Acquire(scope);
                }

                Visit(usingOperation.Body);
                foreach (var scope in scopes)
                {
                    _locks.Release(scope.Path);
                }

                return;

            case IUsingDeclarationOperation usingDeclaration:
                Visit(usingDeclaration.DeclarationGroup);
                foreach (var declaredScope in _locks.ScopesOf(usingDeclaration.DeclarationGroup))
                {
                    _locks.AcquireToEndOfBlock(declaredScope);
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

    private void VisitForEach(IForEachLoopOperation loop)
    {
        Visit(loop.Collection);
        var collection = Unwrap(loop.Collection);
        if (collection is not null && RuleOf(collection) is { } rule)
        {
            _accesses.RecordContents(collection, rule, AccessKind.Read, "GetEnumerator", loop.Collection);
        }

        _tasks.ForEach(loop);
        Visit(loop.LoopControlVariable);
        Visit(loop.Body);
        VisitAll(loop.NextVariables);
    }

    private void VisitPropertyRead(IPropertyReferenceOperation property)
    {
        var symbol = property.Property;
        if (BlockingOf(symbol, property) is { } blocking)
        {
            _blocking.Add(new BlockingCall(blocking, property.Syntax.GetLocation(), via: null));
        }

        if (property.Instance is { } instance && RuleOf(instance) is { } rule)
        {
            _accesses.RecordContents(instance, rule, rule.EveryUseIsWrite ? AccessKind.Write : AccessKind.Read, MemberName(property), property);
        }
        else if (symbol.GetMethod is { } getter && _callees.HasBody(getter) && !_accesses.IsSynchronizedReceiver(property.Instance))
        {
            FollowCall(getter, property.Instance, property.Arguments, property);
        }
        else
        {
            _accesses.Record(_paths.PathOf(property), Facet.Storage, AccessKind.Read, property);
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
                _accesses.Record(_paths.PathOf(field), Facet.Storage, kind, field, atomic: atomic, compound: compound);
                Visit(field.Instance);
                return;

            case IPropertyReferenceOperation property:
                if (property.Instance is { } instance && RuleOf(instance) is { } rule)
                {
                    _accesses.RecordContents(instance, rule, AccessKind.Write, MemberName(property), property);
                }
                else if (property.Property.SetMethod is { } setter && _callees.HasBody(setter) && !_accesses.IsSynchronizedReceiver(property.Instance))
                {
                    FollowCall(setter, property.Instance, property.Arguments, property);
                    if (kind == AccessKind.ReadWrite && property.Property.GetMethod is { } getter && _callees.HasBody(getter))
                    {
                        FollowCall(getter, property.Instance, property.Arguments, property);
                    }
                }
                else
                {
                    _accesses.Record(_paths.PathOf(property), Facet.Storage, kind, property, atomic: atomic, compound: compound);
                }

                Visit(property.Instance);
                foreach (var argument in property.Arguments)
                {
                    Visit(argument.Value);
                }

                return;

            case IArrayElementReferenceOperation element:
                _accesses.Record(_paths.PathOf(element.ArrayReference), Facet.Elements, kind, element, atomic: atomic, index: _paths.IndexOf(element), compound: compound);
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
                _accesses.Record(_paths.PathOf(parameter), Facet.Storage, kind, parameter, atomic: atomic, compound: compound);
                return;

            case ILocalReferenceOperation or IDiscardOperation or IDeclarationExpressionOperation:
                // Locals belong to one invocation.
                return;

            default:
                Visit(target);
                return;
        }
    }

    private void VisitConditional(IConditionalOperation conditional)
    {
        Visit(conditional.Condition);
        if (_locks.TryLockOf(conditional.Condition, out var negated) is not { } held)
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
                _locks.Acquire(held);
            }

            return;
        }

        // if (Monitor.TryEnter(x, t)) { try { … } finally { Monitor.Exit(x); } } else { … }
        _locks.Acquire(held);
        Visit(conditional.WhenTrue);
        _locks.Release(held.Path);
        Visit(conditional.WhenFalse);
    }

    private TypeRule? RuleOf(IOperation? operation)
    {
        var type = Unwrap(operation)?.Type;
        return type is null ? null : _symbols.Table.RuleFor(type);
    }
}
