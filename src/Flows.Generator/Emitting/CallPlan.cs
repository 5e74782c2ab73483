using System.Collections.Immutable;
using System.Linq;
using Flows.Generator.Model;

namespace Flows.Generator.Emitting;

/// <summary>
/// How the orchestration calls one step, decided once from the model before any text is written: the emitter only
/// writes what the plan says, and any other emitter of the same model (the durable one to come) can read the same
/// decisions. Tests call <see cref="CallPlan.For"/> without writing text.
/// </summary>
/// <param name="InGroup">The step runs in a parallel group.</param>
/// <param name="HasResilience">Called under <c>Resilience.RunAsync</c>: it has <c>[Retry]</c> or <c>[Timeout]</c> (a foreach applies them per item instead).</param>
/// <param name="CatchesFailure">Its failure becomes a failed <c>Outcome</c> in its wrapper: it continues on error outside a continue-on-error group (which catches for its members).</param>
/// <param name="Hops">A synchronous member of a group, moved to the thread pool so that it runs alongside the others.</param>
/// <param name="UsesWrapper">The plain run calls it through a generated wrapper: hooks run around it, its failure is caught, or it hops.</param>
/// <param name="WrapperTakesToken">The wrapper takes the token: to pass it on, to check it after the hop, or to tell a failure from the run's cancellation.</param>
/// <param name="CreatesContext">The wrapper makes a <c>StepContext</c>: for the hooks or for the step's own parameter.</param>
/// <param name="RunsPolicyOnThreadPool">The step's retry/timeout policy starts each attempt on the thread pool (a synchronous group member).</param>
/// <param name="WrapperKind">What the wrappers return: a value task when the call is awaited or hops, the value or nothing otherwise.</param>
/// <param name="WrapperValueType">The value the wrappers give: the step's value, as an <c>Outcome</c> when <see cref="CatchesFailure"/>; null for none.</param>
/// <param name="WrapperName">The plain wrapper's name.</param>
/// <param name="ObservedWrapperName">The observed (telemetry) wrapper's name.</param>
internal sealed record StepCallPlan(
    bool InGroup,
    bool HasResilience,
    bool CatchesFailure,
    bool Hops,
    bool UsesWrapper,
    bool WrapperTakesToken,
    bool CreatesContext,
    bool RunsPolicyOnThreadPool,
    ReturnKind WrapperKind,
    string? WrapperValueType,
    string WrapperName,
    string ObservedWrapperName)
{
    /// <summary>The wrappers are async methods.</summary>
    public bool WrapperIsAsync => WrapperKind is ReturnKind.ValueTask or ReturnKind.ValueTaskOfT;
}

/// <summary>
/// One of the two run bodies written from the same call plans. They differ only in whom the steps report to: the plain
/// body calls each step as its plan says; the observed one (telemetry, timeline) calls each step's observed wrapper
/// and passes the observer to the foreach and dataflow engines. Neither takes a decision of its own.
/// </summary>
/// <param name="MethodName">The body's method.</param>
/// <param name="Observer">The observer's local in the observed body; null in the plain one.</param>
internal sealed record RunBody(string MethodName, string? Observer)
{
    public static readonly RunBody Plain = new("__RunAsync", null);

    public static readonly RunBody Observed = new("__RunObservedAsync", "__observer");

    public bool IsObserved => Observer is not null;
}

/// <summary>The call plan of every step of a workflow, in model order.</summary>
internal static class CallPlan
{
    public static ImmutableArray<StepCallPlan> For(WorkflowModel model)
    {
        var hasHooks = model.Hooks != HookKinds.None;
        var plans = ImmutableArray.CreateBuilder<StepCallPlan>(model.Steps.Count);
        foreach (var step in model.Steps)
        {
            var stage = model.Stages[step.Stage];
            var inGroup = stage.IsGroup;
            var hasResilience = step.ForEach is null && (step.Retry is not null || step.TimeoutMilliseconds > 0);
            var catchesFailure = step.ContinueOnError && stage.Failure != GroupFailure.ContinueOnError;
            var hops = inGroup && !step.IsAwaitable && !hasResilience;
            var usesWrapper = step.ForEach is null && (hasHooks || catchesFailure || hops);
            var takesToken = hops || catchesFailure || hasResilience || step.Arguments.Any(argument => argument.Kind == ArgumentKind.CancellationToken);
            var createsContext = hasHooks || step.Arguments.Any(argument => argument.Kind == ArgumentKind.StepContext);

            // The wrapper awaits what it calls: the step's own task, or the resilience loop's value task.
            var callIsAwaitable = hasResilience || step.IsAwaitable;
            var value = step.ValueType is null ? null : catchesFailure ? $"global::Flows.Outcome<{step.ValueType}>" : step.ValueType;
            var kind = callIsAwaitable || hops
                ? (value is null ? ReturnKind.ValueTask : ReturnKind.ValueTaskOfT)
                : (value is null ? ReturnKind.Void : ReturnKind.Value);
            var suffix = kind is ReturnKind.ValueTask or ReturnKind.ValueTaskOfT ? "Async" : string.Empty;
            plans.Add(new StepCallPlan(
                inGroup,
                hasResilience,
                catchesFailure,
                hops,
                usesWrapper,
                takesToken,
                createsContext,
                RunsPolicyOnThreadPool: inGroup && !step.IsAwaitable,
                kind,
                value,
                $"__Run{step.OutputName}{suffix}",
                $"__Observe{step.OutputName}{suffix}"));
        }

        return plans.MoveToImmutable();
    }
}
