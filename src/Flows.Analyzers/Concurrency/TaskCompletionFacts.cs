using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using static Flows.Analyzers.Concurrency.OperationShapes;

namespace Flows.Analyzers.Concurrency;

/// <summary>
/// Which tasks one walk knows have completed, so that reading <c>.Result</c> (or <c>Wait()</c>, <c>GetResult()</c>)
/// of one is not a blocking call. Learned in the order the walk meets it: a task awaited, every task given to an
/// awaited <c>Task.WhenAll</c> (elements of an array written there, or the collection passed), the task an awaited
/// <c>Task.WhenAny</c> returned, the loop variable over a collection of completed tasks, and the parameter of a lambda
/// that only runs on completed tasks (<c>ContinueWith</c>, LINQ over such a collection). Besides, at a use: a test on
/// the way to it that the task completed (<c>if (t.IsCompleted)</c>, an early exit when it did not).
/// </summary>
/// <remarks>Tasks are named by paths whose locals are roots of their own (<see cref="PathResolver.LocalRoot"/>).</remarks>
internal sealed class TaskCompletionFacts
{
    private readonly KnownSymbols _symbols;
    private readonly PathResolver _paths;
    private readonly HashSet<AccessPath> _completedTasks = new();
    private readonly HashSet<AccessPath> _completedCollections = new();

    public TaskCompletionFacts(KnownSymbols symbols, PathResolver paths)
    {
        _symbols = symbols;
        _paths = paths;
    }

    /// <summary>Marks what an <c>await</c> completed: the task itself, or every task given to <c>Task.WhenAll</c>.</summary>
    public void Awaited(IOperation awaited)
    {
        var operation = Unwrap(awaited);
        if (operation is IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (method.Name == "ConfigureAwait" && invocation.Instance is not null)
            {
                Awaited(invocation.Instance);
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
                            if (TaskPathOf(element) is { } elementPath)
                            {
                                _completedTasks.Add(elementPath);
                            }
                        }
                    }
                    else if (TaskPathOf(value) is { } path)
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

        if (TaskPathOf(operation) is { } awaitedPath)
        {
            _completedTasks.Add(awaitedPath);
        }
    }

    /// <summary>A local given <paramref name="value"/>: known complete when that is <c>await Task.WhenAny(…)</c>.</summary>
    public void Assigned(ILocalSymbol local, IOperation value)
    {
        if (IsAwaitedWhenAny(value))
        {
            _completedTasks.Add(PathResolver.LocalRoot(local));
        }
    }

    /// <summary><c>await Task.WhenAny(…)</c>, with or without <c>ConfigureAwait</c>: the task it gives has completed.</summary>
    private bool IsAwaitedWhenAny(IOperation value)
    {
        if (Unwrap(value) is not IAwaitOperation { Operation: var awaited })
        {
            return false;
        }

        var call = Unwrap(awaited);
        if (call is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured })
        {
            call = Unwrap(configured);
        }

        return call is IInvocationOperation { TargetMethod: { Name: "WhenAny", IsStatic: true } whenAny }
            && _symbols.IsTaskLike(whenAny.ContainingType);
    }

    /// <summary>The variable of a <c>foreach</c> over a collection of completed tasks is a completed task.</summary>
    public void ForEach(IForEachLoopOperation loop)
    {
        if (TaskPathOf(loop.Collection) is { } collection && _completedCollections.Contains(collection)
            && loop.LoopControlVariable is IVariableDeclaratorOperation variable)
        {
            _completedTasks.Add(PathResolver.LocalRoot(variable.Symbol));
        }
    }

    /// <summary>
    /// The lambdas given to a call that only runs them on completed tasks: <c>ContinueWith</c>, or a method on (or an
    /// extension of) a collection of completed tasks (<c>tasks.Select(t =&gt; t.Result)</c>). Their first parameter is one.
    /// </summary>
    public void Call(IInvocationOperation invocation, IOperation? receiver)
    {
        var method = invocation.TargetMethod;
        var overCompleted = (method.Name == "ContinueWith" && _symbols.IsTaskLike(method.ContainingType))
            || (receiver is not null && TaskPathOf(receiver) is { } receiverPath && _completedCollections.Contains(receiverPath));
        if (!overCompleted)
        {
            return;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (LambdaOf(argument.Value) is { Symbol.Parameters: { Length: > 0 } parameters })
            {
                _completedTasks.Add(PathResolver.LocalRoot(parameters[0]));
            }
        }
    }

    /// <summary>Whether the task <paramref name="task"/> is known to have completed where <paramref name="use"/> reads it.</summary>
    public bool IsCompleted(IOperation? task, IOperation use)
    {
        var operation = Unwrap(task);
        switch (operation)
        {
            case null:
                return false;
            case IAwaitOperation:
                return true;
            case IArrayElementReferenceOperation element when IsCompletedCollection(element.ArrayReference):
                return true;
            case IPropertyReferenceOperation { Arguments.Length: > 0, Instance: { } list } when IsCompletedCollection(list):
                return true;
            case IInvocationOperation { TargetMethod.IsExtensionMethod: true, Arguments.Length: > 0 } extension
                when IsCompletedCollection(extension.Arguments[0].Value):
                return true;
        }

        var path = _paths.PathOf(operation, localsAsRoots: true);
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

    /// <summary>The path that names a task (or a collection of tasks), its locals as roots of their own.</summary>
    private AccessPath? TaskPathOf(IOperation? operation) => _paths.PathOf(Unwrap(operation), localsAsRoots: true);

    private bool IsCompletedCollection(IOperation collection) =>
        TaskPathOf(collection) is { } path && _completedCollections.Contains(path);

    private bool IsPath(IOperation operation, AccessPath path) => TaskPathOf(operation) is { } found && found.Equals(path);

    // A task known complete: one the walk learned of, or the one an awaited Task.WhenAny gives, compared in place
    // (if (await Task.WhenAny(work, timeout) == work)).
    private bool IsKnownComplete(IOperation operation) =>
        IsAwaitedWhenAny(operation) || (TaskPathOf(operation) is { } found && _completedTasks.Contains(found));
}
