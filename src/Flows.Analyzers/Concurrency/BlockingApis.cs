using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using static Flows.Analyzers.Concurrency.OperationShapes;

namespace Flows.Analyzers.Concurrency;

/// <summary>The kinds of blocking call FLOW004 reports; the code fix reads the name (<see cref="StepConcurrencyAnalyzer.BlockingKindProperty"/>).</summary>
internal enum BlockingKind
{
    Result,
    Wait,
    GetResult,
    Sleep,
    WaitAll,
    WaitAny,
}

/// <summary>Which task a blocking call waits for: a wait on a task known to have completed returns at once and is not reported.</summary>
internal enum WaitsFor
{
    /// <summary>No one task (<c>Thread.Sleep</c>, <c>Task.WaitAll</c>): always reported.</summary>
    Nothing,

    /// <summary>The task it is called on: <c>t.Result</c>, <c>t.Wait()</c>.</summary>
    Receiver,

    /// <summary>The task whose awaiter it is called on: <c>t.GetAwaiter().GetResult()</c>, also through <c>ConfigureAwait</c>.</summary>
    AwaitersTask,
}

/// <summary>One blocking member: its type (metadata name), name, whether static, whether a property, and what it waits for.</summary>
internal readonly record struct BlockingApi(string Type, string Member, BlockingKind Kind, WaitsFor WaitsFor, bool Static = false, bool Property = false);

/// <summary>How FLOW004 names one kind of blocking call and what to await instead.</summary>
/// <param name="Display">The call as the message names it (<c>.Result</c>, <c>Thread.Sleep</c>).</param>
/// <param name="AsyncAlternative">What to await instead (<c>the task</c>, <c>Task.Delay</c>).</param>
internal readonly record struct BlockingAdvice(BlockingKind Kind, string Display, string AsyncAlternative)
{
    /// <summary>The advice at the end of the message: <c>await Task.Delay instead</c>.</summary>
    public string Advice => "await " + AsyncAlternative + " instead";
}

/// <summary>
/// The calls that block a thread until something else completes, as data (as vs-threading's <c>CommonInterest</c> lists
/// them): each member by its declaring type, and per kind how the message names it and what to await instead. The
/// walker asks; it holds no API names of its own.
/// </summary>
internal static class BlockingApis
{
    private const string Tasks = "System.Threading.Tasks.";
    private const string CompilerServices = "System.Runtime.CompilerServices.";

    /// <summary>The blocking members, by the type that declares them.</summary>
    public static readonly ImmutableArray<BlockingApi> Members = ImmutableArray.Create(
        new BlockingApi(Tasks + "Task`1", "Result", BlockingKind.Result, WaitsFor.Receiver, Property: true),
        new BlockingApi(Tasks + "ValueTask`1", "Result", BlockingKind.Result, WaitsFor.Receiver, Property: true),
        new BlockingApi(Tasks + "Task", "Wait", BlockingKind.Wait, WaitsFor.Receiver),
        new BlockingApi(Tasks + "Task", "WaitAll", BlockingKind.WaitAll, WaitsFor.Nothing, Static: true),
        new BlockingApi(Tasks + "Task", "WaitAny", BlockingKind.WaitAny, WaitsFor.Nothing, Static: true),
        new BlockingApi("System.Threading.Thread", "Sleep", BlockingKind.Sleep, WaitsFor.Nothing, Static: true),
        new BlockingApi(CompilerServices + "TaskAwaiter", "GetResult", BlockingKind.GetResult, WaitsFor.AwaitersTask),
        new BlockingApi(CompilerServices + "TaskAwaiter`1", "GetResult", BlockingKind.GetResult, WaitsFor.AwaitersTask),
        new BlockingApi(CompilerServices + "ConfiguredTaskAwaitable+ConfiguredTaskAwaiter", "GetResult", BlockingKind.GetResult, WaitsFor.AwaitersTask),
        new BlockingApi(CompilerServices + "ConfiguredTaskAwaitable`1+ConfiguredTaskAwaiter", "GetResult", BlockingKind.GetResult, WaitsFor.AwaitersTask),
        new BlockingApi(CompilerServices + "ValueTaskAwaiter", "GetResult", BlockingKind.GetResult, WaitsFor.AwaitersTask),
        new BlockingApi(CompilerServices + "ValueTaskAwaiter`1", "GetResult", BlockingKind.GetResult, WaitsFor.AwaitersTask),
        new BlockingApi(CompilerServices + "ConfiguredValueTaskAwaitable+ConfiguredValueTaskAwaiter", "GetResult", BlockingKind.GetResult, WaitsFor.AwaitersTask),
        new BlockingApi(CompilerServices + "ConfiguredValueTaskAwaitable`1+ConfiguredValueTaskAwaiter", "GetResult", BlockingKind.GetResult, WaitsFor.AwaitersTask),
        new BlockingApi(CompilerServices + "YieldAwaitable+YieldAwaiter", "GetResult", BlockingKind.GetResult, WaitsFor.AwaitersTask));

    /// <summary>How FLOW004 names each kind, and the advice it gives.</summary>
    public static readonly ImmutableArray<BlockingAdvice> Advice = ImmutableArray.Create(
        new BlockingAdvice(BlockingKind.Result, ".Result", "the task"),
        new BlockingAdvice(BlockingKind.Wait, ".Wait()", "the task"),
        new BlockingAdvice(BlockingKind.GetResult, "GetAwaiter().GetResult()", "the task"),
        new BlockingAdvice(BlockingKind.Sleep, "Thread.Sleep", "Task.Delay"),
        new BlockingAdvice(BlockingKind.WaitAll, "Task.WaitAll", "Task.WhenAll"),
        new BlockingAdvice(BlockingKind.WaitAny, "Task.WaitAny", "Task.WhenAny"));

    /// <summary>The advice for <paramref name="kind"/>.</summary>
    public static BlockingAdvice AdviceFor(BlockingKind kind)
    {
        foreach (var advice in Advice)
        {
            if (advice.Kind == kind)
            {
                return advice;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(kind), kind, "A blocking kind without advice.");
    }

    /// <summary>The blocking members present in one compilation, by declaring type and name.</summary>
    public static ImmutableDictionary<(INamedTypeSymbol Type, string Method), BlockingApi> Resolve(Compilation compilation)
    {
        var builder = ImmutableDictionary.CreateBuilder<(INamedTypeSymbol, string), BlockingApi>(new TypeAndName());
        foreach (var api in Members)
        {
            if (compilation.GetTypeByMetadataName(api.Type) is { } type)
            {
                builder[(type, api.Member)] = api;
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>
    /// The task a blocking <paramref name="call"/> of <paramref name="api"/> waits for (<see cref="WaitsFor"/>): the
    /// receiver of <c>t.Result</c>, the <c>t</c> of <c>t.ConfigureAwait(false).GetAwaiter().GetResult()</c>; null for none.
    /// </summary>
    public static IOperation? TaskWaitedFor(BlockingApi api, IOperation call)
    {
        var instance = call switch
        {
            IInvocationOperation invocation => invocation.Instance,
            IPropertyReferenceOperation property => property.Instance,
            _ => null,
        };
        switch (api.WaitsFor)
        {
            case WaitsFor.Receiver:
                return instance;
            case WaitsFor.AwaitersTask:
                var awaitable = Unwrap(instance) is IInvocationOperation { TargetMethod.Name: "GetAwaiter" } getAwaiter ? getAwaiter.Instance : null;
                if (Unwrap(awaitable) is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configured)
                {
                    awaitable = configured.Instance;
                }

                return awaitable;
            default:
                return null;
        }
    }
}
