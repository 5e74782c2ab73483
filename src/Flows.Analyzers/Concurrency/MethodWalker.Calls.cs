using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using static Flows.Analyzers.Concurrency.OperationShapes;

namespace Flows.Analyzers.Concurrency;

/// <summary>
/// The walk of calls: what a call blocks on, locks, uses of a member-table object, <c>ref</c> arguments, and a callee
/// of this compilation (or the implementations an interface call may run) summarized and folded in at the call.
/// </summary>
internal sealed partial class MethodWalker
{
    private void VisitInvocation(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var containing = method.ContainingType;

        if (BlockingOf(method, invocation) is { } blocking)
        {
            _blocking.Add(new BlockingCall(blocking, invocation.Syntax.GetLocation(), via: null));
        }

        // Lambdas that only run on completed tasks: ContinueWith, or LINQ over tasks awaited with WhenAll.
        var receiver = invocation.Instance ?? (method.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
        _tasks.Call(invocation, receiver);

        // Interlocked, Volatile and the publication helpers built on them (SynchronizationApis.AtomicRefTypes).
        var atomic = containing is not null && _symbols.AtomicRefTypes.Contains(containing.OriginalDefinition);
        var followed = !atomic && _callees.HasBody(method) && !_accesses.IsSynchronizedReceiver(invocation.Instance);
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

        if (_locks.Track(invocation))
        {
            return;
        }

        if (receiver is not null && RuleOf(receiver) is { } rule)
        {
            var kind = invocation.Instance is null
                ? (MemberTable.IsWritingExtension(method) ? AccessKind.Write : AccessKind.Read)
                : rule.Classify(method.Name);
            _accesses.RecordContents(receiver, rule, kind, MemberName(invocation), invocation);
            return;
        }

        if (_callees.HasBody(method))
        {
            if (!_accesses.IsSynchronizedReceiver(invocation.Instance))
            {
                FollowCall(method, invocation.Instance, invocation.Arguments, invocation);
            }
            else
            {
                FollowBlockingOnly(method, invocation);
            }

            return;
        }

        if (FollowImplementations(invocation))
        {
            return;
        }

        // A method we cannot see (string.Join, Enumerable.Sum, …) reads the table objects it is given.
        foreach (var argument in invocation.Arguments)
        {
            if ((argument.Parameter is null || argument.Parameter.RefKind == RefKind.None) && RuleOf(argument.Value) is { } argumentRule)
            {
                _accesses.RecordContents(argument.Value, argumentRule, argumentRule.EveryUseIsWrite ? AccessKind.Write : AccessKind.Read, method.Name, invocation);
            }
        }
    }

    /// <summary>Whether <paramref name="operation"/> names storage by a path (a field, property, static or ref parameter).</summary>
    private bool IsStoragePath(IOperation operation) =>
        Unwrap(operation) is IFieldReferenceOperation or IPropertyReferenceOperation or IParameterReferenceOperation
        && _paths.PathOf(operation, localsAsRoots: false) is not null;

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

    /// <summary>
    /// A call through an interface or to an abstract method runs one of the implementations this compilation
    /// declares (a service injected as ISink, say): what any of them does is what the call may do. False when there
    /// is none to follow.
    /// </summary>
    private bool FollowImplementations(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.IsStatic || !method.IsAbstract || invocation.Instance is null)
        {
            return false;
        }

        var implementations = _callees.ImplementationsOf(method);
        if (implementations.IsEmpty)
        {
            return false;
        }

        var synchronized = _accesses.IsSynchronizedReceiver(invocation.Instance);
        foreach (var implementation in implementations)
        {
            if (!_callees.HasBody(implementation))
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

        return true;
    }

    /// <summary>
    /// The kind of blocking call a use of <paramref name="member"/> at <paramref name="call"/> is (<see cref="BlockingApis"/>),
    /// unless what it waits for is a task known to have completed there.
    /// </summary>
    private BlockingKind? BlockingOf(ISymbol member, IOperation call) =>
        _symbols.BlockingApiOf(member) is { } api && !_tasks.IsCompleted(BlockingApis.TaskWaitedFor(api, call), call) ? api.Kind : null;

    /// <summary>Folds in what <paramref name="callee"/> does, seen from the call: its accesses, and that it blocks.</summary>
    private void FollowCall(IMethodSymbol callee, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, IOperation callSite)
    {
        var summary = _callees.SummaryOf(callee, out var truncated);
        _calleeTruncated |= truncated;
        if (summary.Accesses.IsEmpty && summary.BlockingCalls.IsEmpty)
        {
            return;
        }

        var location = callSite.Syntax.GetLocation();
        if (!summary.BlockingCalls.IsEmpty)
        {
            _blocking.Add(new BlockingCall(summary.BlockingCalls[0].Kind, location, callee.Name));
        }

        _accesses.RecordCall(callee, summary, instance, arguments, location, stopAfterFirst: _calleeTruncated);
    }

    /// <summary>Folds in only that <paramref name="callee"/> blocks: a call on a receiver that synchronizes itself.</summary>
    private void FollowBlockingOnly(IMethodSymbol callee, IOperation callSite)
    {
        var summary = _callees.SummaryOf(callee, out var truncated);
        _calleeTruncated |= truncated;
        if (!summary.BlockingCalls.IsEmpty)
        {
            _blocking.Add(new BlockingCall(summary.BlockingCalls[0].Kind, callSite.Syntax.GetLocation(), callee.Name));
        }
    }
}
