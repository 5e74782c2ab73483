using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Flows.Analyzers;

/// <summary>Every Flows diagnostic descriptor. Message arguments are strings.</summary>
internal static class DiagnosticDescriptors
{
    public const string UsageCategory = "Flows.Usage";
    public const string ConcurrencyCategory = "Flows.Concurrency";
    public const string DurableCategory = "Flows.Durable";

    /// <summary>The end of a durable error's message: the in-process RunAsync is still generated, the Durable class is not.</summary>
    public const string DurableNotGeneratedSuffix = "; the Durable class is not generated while this error stands (RunAsync still is)";

    public static readonly DiagnosticDescriptor NotPartial = Create(
        DiagnosticIds.NotPartial,
        "Workflow types must be partial",
        "'{0}' must be partial: Flows generates the RunAsync of workflow '{1}' into it",
        UsageCategory,
        DiagnosticSeverity.Error,
        "The Flows generator adds RunAsync, MermaidDiagram and the step hooks to a [Workflow] class, which it can only do when the class and every type that contains it are declared partial.");

    public static readonly DiagnosticDescriptor DependentParallelSteps = Create(
        DiagnosticIds.DependentParallelSteps,
        "Steps in one parallel group depend on each other",
        "Step '{0}' consumes the output of '{1}', but both are in parallel group '{2}' and run at the same time",
        UsageCategory,
        DiagnosticSeverity.Error,
        "Members of a parallel group start together, so none can wait for another's output. Take the consumer out of the group, or the producer into an earlier stage.");

    public static readonly DiagnosticDescriptor StepOrder = Create(
        DiagnosticIds.StepOrder,
        "A step consumes an output that is not ready",
        "Step '{0}' cannot consume '{1}': {2}",
        UsageCategory,
        DiagnosticSeverity.Error,
        "Under sequential scheduling a step may use outputs of earlier stages only; under dataflow scheduling the steps must not wait for each other in a cycle.");

    public static readonly DiagnosticDescriptor UnboundParameter = Create(
        DiagnosticIds.UnboundParameter,
        "A step parameter cannot be bound",
        "Parameter '{1}' of step '{0}' cannot be bound: {2}",
        UsageCategory,
        DiagnosticSeverity.Error,
        "A parameter binds to the step's token, its context, the output of a step (by [FromStep] or by name) or a workflow input. The output's type must convert to the parameter's type, and inputs of one name must have one type.");

    public static readonly DiagnosticDescriptor InvalidStepSignature = Create(
        DiagnosticIds.InvalidStepSignature,
        "Invalid step signature",
        "'{0}' is not a valid step: {1}",
        UsageCategory,
        DiagnosticSeverity.Error,
        "A step returns void, a value, Task, Task<T>, ValueTask or ValueTask<T>; it may not be async void, generic, take ref, out or in parameters, or share its output name with another step.");

    public static readonly DiagnosticDescriptor InvalidOption = Create(
        DiagnosticIds.InvalidOption,
        "Invalid option value or conflicting options",
        "Option '{1}' on '{0}' is invalid: {2}",
        UsageCategory,
        DiagnosticSeverity.Error,
        "An option of a Flows attribute is out of range, applies only together with another option, or is set to different values by two members of one parallel group.");

    public static readonly DiagnosticDescriptor InvalidForEachSource = Create(
        DiagnosticIds.InvalidForEachSource,
        "Invalid foreach source",
        "The foreach step '{0}' cannot read its items: {1}",
        UsageCategory,
        DiagnosticSeverity.Error,
        "A [ParallelForEach] source names a step output or a workflow input holding an array, IEnumerable<T> or IAsyncEnumerable<T> whose items the step's first parameter can take.");

    public static readonly DiagnosticDescriptor OutcomeRequired = Create(
        DiagnosticIds.OutcomeRequired,
        "The output of a step that may fail is consumed as a plain value",
        "Parameter '{1}' of step '{0}' takes the plain value of '{2}', which may fail without failing the run; declare it as '{3}'",
        UsageCategory,
        DiagnosticSeverity.Error,
        "A step that continues on error may have no value. Its consumers receive an Outcome<T> and decide what a failure means.");

    public static readonly DiagnosticDescriptor FirstSuccessTypes = Create(
        DiagnosticIds.FirstSuccessTypes,
        "FirstSuccess group members return different types",
        "The members of FirstSuccess group '{0}' must return one type: '{1}' returns '{2}' but '{3}' returns '{4}'",
        UsageCategory,
        DiagnosticSeverity.Error,
        "The first member of a FirstSuccess group to succeed gives the group's one output, so every member must produce the same type.");

    public static readonly DiagnosticDescriptor StepsInSeveralDeclarations = Create(
        DiagnosticIds.StepsInSeveralDeclarations,
        "Steps are declared in more than one partial declaration",
        "The steps of workflow '{0}' are declared in more than one partial declaration, so their order depends on file order; declare '{1}' with the others",
        UsageCategory,
        DiagnosticSeverity.Warning,
        "Sequential scheduling runs steps in declaration order. Across partial declarations in several files that order is the compiler's file order, which a rename can change.");

    public static readonly DiagnosticDescriptor MisnamedInput = Create(
        DiagnosticIds.MisnamedInput,
        "A step parameter becomes a workflow input although an unused step output would fit it",
        "Parameter '{0}' of '{1}' becomes a RunAsync input, but the output of '{2}' ({3}) is consumed by no step; rename the parameter to '{4}' or add [FromStep(nameof({2}))]",
        UsageCategory,
        DiagnosticSeverity.Warning,
        "A parameter that matches no step output by name becomes a parameter of the generated RunAsync. When an earlier step produces a value of a type the parameter accepts and nothing consumes that value, the parameter was most likely meant to take it: its name no longer matches the step's output name, which binding requires.");

    public static readonly DiagnosticDescriptor NotDurable = Create(
        DiagnosticIds.NotDurable,
        "A durable workflow uses something with no durable meaning",
        "Workflow '{0}' cannot run durably: {1}" + DurableNotGeneratedSuffix,
        DurableCategory,
        DiagnosticSeverity.Error,
        "A durable workflow runs each step as a Durable Task activity: its inputs and outputs cross the wire through the backend's data converter (JSON by default), and the activity creates the workflow from the worker's services. Delegates, tasks, streams, cancellation token sources, ref structs, pointers and asynchronous streams cannot be serialized; a generic workflow has no single orchestration name; a workflow without a constructor the worker can call cannot be created.");

    public static readonly DiagnosticDescriptor DurableTaskNotReferenced = Create(
        DiagnosticIds.DurableTaskNotReferenced,
        "Durable = true without a reference to Flows.DurableTask",
        "Workflow '{0}' sets Durable = true, but the project does not reference Flows.DurableTask; add the package (dotnet add package Flows.DurableTask)" + DurableNotGeneratedSuffix,
        DurableCategory,
        DiagnosticSeverity.Error,
        "The durable orchestration Flows generates calls the runtime in the Flows.DurableTask package (sliding windows, failure policies, retries and timeouts made of replay-safe calls) and the Durable Task SDK it depends on. Without the package the generated Durable class could not compile.");

    /// <summary>Reported by the generator, not the analyzers: one per workflow it skipped, naming the first error.</summary>
    public static readonly DiagnosticDescriptor NotGenerated = new(
        DiagnosticIds.NotGenerated,
        "RunAsync is not generated because the workflow has an error",
        "RunAsync is not generated for '{0}' because of {1} at {2}: {3}",
        UsageCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The Flows generator skips a workflow whose declaration has an error, so calls to its RunAsync fail with CS1061. A build log prints the compiler's errors before the analyzers'; the generator reports this one first, with the error it is waiting for.",
        helpLinkUri: HelpLinkFor(DiagnosticIds.NotGenerated));

    public static readonly DiagnosticDescriptor SharedMutableState = Create(
        DiagnosticIds.SharedMutableState,
        "Shared mutable state is used by steps that may run at the same time",
        "'{0}' is {1}; {2}",
        ConcurrencyCategory,
        DiagnosticSeverity.Warning,
        "A field, static, property, array element or object reached from two steps that may run at the same time (or from one foreach step on several items at once) is written by one of them and read or written by the other, with no common lock, Interlocked or Volatile operation, or thread-safe type between them.");

    public static readonly DiagnosticDescriptor ThreadUnsafeObject = Create(
        DiagnosticIds.ThreadUnsafeObject,
        "A thread-unsafe object is used by steps that may run at the same time",
        "'{0}' ({1}) is {2}; {3}",
        ConcurrencyCategory,
        DiagnosticSeverity.Warning,
        "List<T>, Dictionary<TKey, TValue>, HashSet<T>, StringBuilder, a Random instance, HttpClient's default headers and an EF Core DbContext are not safe to change while another thread uses them. Steps that may run at the same time use one such object, and at least one of them changes it.");

    public static readonly DiagnosticDescriptor BlockingCall = Create(
        DiagnosticIds.BlockingCall,
        "Blocking call inside a step",
        "'{0}' blocks a thread in step '{1}'{2}; {3}",
        ConcurrencyCategory,
        DiagnosticSeverity.Warning,
        "A step that blocks its thread (.Result, .Wait(), GetAwaiter().GetResult(), Thread.Sleep) holds a thread-pool thread while it waits, which starves the other steps and items running at the same time and can deadlock under a synchronization context.");

    /// <summary>The descriptors reported today, by ID.</summary>
    public static readonly ImmutableDictionary<string, DiagnosticDescriptor> ById =
        new[]
        {
            DependentParallelSteps,
            NotPartial,
            StepOrder,
            UnboundParameter,
            InvalidStepSignature,
            InvalidOption,
            InvalidForEachSource,
            OutcomeRequired,
            FirstSuccessTypes,
            StepsInSeveralDeclarations,
            MisnamedInput,
            NotDurable,
            DurableTaskNotReferenced,
            NotGenerated,
            SharedMutableState,
            ThreadUnsafeObject,
            BlockingCall,
        }.ToImmutableDictionary(descriptor => descriptor.Id);

    /// <summary>The help page of a diagnostic: its page in the repository's docs/diagnostics folder.</summary>
    public static string HelpLinkFor(string id) => $"https://github.com/flows-dotnet/flows/blob/main/docs/diagnostics/{id}.md";

    /// <summary>The end of every error's message: a build log shows the call site's CS1061 too, and this says why.</summary>
    public const string NotGeneratedSuffix = "; RunAsync is not generated while this error stands";

    // An error in a workflow's declaration means its RunAsync is not generated, so calls to it fail with CS1061. The
    // compiler prints its own errors before the analyzers' in a build log; the message says how the two connect.
    private static DiagnosticDescriptor Create(string id, string title, string message, string category, DiagnosticSeverity severity, string description) =>
        new(id, title, severity == DiagnosticSeverity.Error && category == UsageCategory ? message + NotGeneratedSuffix : message, category, severity, isEnabledByDefault: true, description: description, helpLinkUri: HelpLinkFor(id));
}
