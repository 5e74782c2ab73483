namespace Flows.Generator.Model;

/// <summary>
/// Everything the emitter needs to write one workflow's orchestration: what runs, in which order, with
/// which arguments. It holds what the code does, not where it is: no symbols, syntax or locations, so an
/// edit inside a step's body leaves it equal.
/// </summary>
/// <param name="Namespace">The namespace, or <see langword="null"/> for the global namespace.</param>
/// <param name="ContainingTypes">The types around the workflow, outermost first.</param>
/// <param name="Type">The workflow class itself.</param>
/// <param name="IsStatic">A static class: <c>RunAsync</c> is static too.</param>
/// <param name="Steps">The steps in declaration order.</param>
/// <param name="Stages">The stages in the order they run.</param>
/// <param name="Inputs">The workflow inputs, in order of first appearance: the parameters of <c>RunAsync</c>.</param>
/// <param name="Hooks">The step hooks the class implements.</param>
/// <param name="Scheduling">How steps are ordered.</param>
/// <param name="TimeoutMilliseconds">The limit on the whole run; 0 for none.</param>
/// <param name="Durable">The durable orchestration to generate as well (<c>[Workflow(Durable = true)]</c>); null for none.</param>
internal sealed record WorkflowModel(
    string? Namespace,
    EquatableArray<TypeDeclarationModel> ContainingTypes,
    TypeDeclarationModel Type,
    bool IsStatic,
    EquatableArray<StepModel> Steps,
    EquatableArray<StageModel> Stages,
    EquatableArray<InputModel> Inputs,
    HookKinds Hooks,
    SchedulingKind Scheduling,
    int TimeoutMilliseconds,
    DurableModel? Durable = null)
{
    /// <summary>
    /// The steps whose values make up the result: the value-returning steps of the last stage (under Dataflow
    /// scheduling, the last declared step).
    /// </summary>
    public IEnumerable<StepModel> ResultSteps =>
        Stages.Count == 0
            ? Enumerable.Empty<StepModel>()
            : Scheduling == SchedulingKind.Dataflow
                ? Steps.Skip(Steps.Count - 1).Where(step => step.HasValue)
                : Stages[Stages.Count - 1].Steps.Select(index => Steps[index]).Where(step => step.HasValue);
}

/// <summary>Mirrors <c>Flows.Scheduling</c>; the values are the same.</summary>
internal enum SchedulingKind
{
    Sequential = 0,
    Dataflow = 1,
}

/// <summary>A type declaration to reopen as <c>partial</c>.</summary>
/// <param name="Keyword"><c>class</c>, <c>struct</c>, <c>interface</c>, <c>record</c> or <c>record struct</c>.</param>
/// <param name="Name">The type's name, without type parameters.</param>
/// <param name="TypeParameters">The type parameter names; empty when the type is not generic.</param>
internal sealed record TypeDeclarationModel(string Keyword, string Name, EquatableArray<string> TypeParameters);

/// <summary>One step.</summary>
/// <param name="MethodName">The method's name.</param>
/// <param name="OutputName">The name other steps use to consume its value: the method name without an <c>Async</c> suffix.</param>
/// <param name="IsStatic">A static method.</param>
/// <param name="IsAsync">Declared <c>async</c>: it never throws before returning its task.</param>
/// <param name="ReturnKind">How the step returns.</param>
/// <param name="ValueType">The fully qualified type of its value, or <see langword="null"/> when it has none.</param>
/// <param name="Arguments">Where each parameter's value comes from, in parameter order.</param>
/// <param name="Stage">The index of the stage it runs in.</param>
/// <param name="OutputType">The fully qualified type consumers receive: the value, <c>Outcome&lt;T&gt;</c> of it when the step may fail, a list of the item results for a foreach; null when there is no value.</param>
/// <param name="ContinueOnError">A failure of the step does not fail the run.</param>
/// <param name="ForEach">The foreach options, for a <c>[ParallelForEach]</c> step.</param>
/// <param name="Retry">The retry options, for a step with <c>[Retry]</c>.</param>
/// <param name="TimeoutMilliseconds">The limit on each attempt (each item of a foreach); 0 for none.</param>
/// <param name="After">The steps that must complete first without giving data (<c>[After]</c>).</param>
internal sealed record StepModel(
    string MethodName,
    string OutputName,
    bool IsStatic,
    bool IsAsync,
    ReturnKind ReturnKind,
    string? ValueType,
    EquatableArray<ArgumentModel> Arguments,
    int Stage,
    string? OutputType,
    bool ContinueOnError,
    ForEachModel? ForEach,
    RetryModel? Retry,
    int TimeoutMilliseconds,
    EquatableArray<int> After)
{
    /// <summary>Has a value its consumers receive.</summary>
    public bool HasValue => OutputType is not null;

    /// <summary>The method itself returns a value (per item, for a foreach).</summary>
    public bool ReturnsValue => ValueType is not null;

    /// <summary>Returns a task or value task rather than completing when the call returns.</summary>
    public bool IsAwaitable => ReturnKind is ReturnKind.Task or ReturnKind.TaskOfT or ReturnKind.ValueTask or ReturnKind.ValueTaskOfT;
}

/// <summary>The options of a <c>[ParallelForEach]</c> step.</summary>
/// <param name="SourceKind">A step output or a workflow input.</param>
/// <param name="Source">The producing step's index or the input's index.</param>
/// <param name="SourceShape">How the items are read from the source.</param>
/// <param name="ItemType">The fully qualified type of the items.</param>
/// <param name="MaxDegreeOfParallelism">The most items at once; null for the processor count, -1 for no limit.</param>
/// <param name="ContinueOnError">Failed items become failed outcomes.</param>
/// <param name="MinSuccessRate">With <paramref name="ContinueOnError"/>: the smallest share of items that must succeed.</param>
/// <param name="BatchSize">Items per batch; 0 for no batches.</param>
/// <param name="DelayBetweenBatchesMilliseconds">The pause between batches.</param>
/// <param name="MaxItemsPerSecond">The start-rate limit; 0 for none.</param>
internal sealed record ForEachModel(
    ArgumentKind SourceKind,
    int Source,
    SourceShape SourceShape,
    string ItemType,
    int? MaxDegreeOfParallelism,
    bool ContinueOnError,
    double MinSuccessRate,
    int BatchSize,
    int DelayBetweenBatchesMilliseconds,
    double MaxItemsPerSecond);

/// <summary>How a foreach reads its source.</summary>
internal enum SourceShape
{
    /// <summary>An array: by index, count known.</summary>
    Array,

    /// <summary>An <c>IReadOnlyList&lt;T&gt;</c>: by index, count known.</summary>
    List,

    /// <summary>Any other <c>IEnumerable&lt;T&gt;</c>: pulled one item at a time under a lock.</summary>
    Enumerable,

    /// <summary>An <c>IAsyncEnumerable&lt;T&gt;</c>: streamed, count unknown.</summary>
    AsyncEnumerable,
}

/// <summary>The options of <c>[Retry]</c>.</summary>
/// <param name="MaxAttempts">Attempts in all.</param>
/// <param name="DelayMilliseconds">The first delay.</param>
/// <param name="Backoff">0 constant, 1 linear, 2 exponential (as <c>Flows.Backoff</c>).</param>
/// <param name="Jitter">Randomize delays.</param>
/// <param name="RetryOn">The fully qualified exception types retried; empty for all but cancellation.</param>
internal sealed record RetryModel(int MaxAttempts, int DelayMilliseconds, int Backoff, bool Jitter, EquatableArray<string> RetryOn);

/// <summary>How a step returns.</summary>
internal enum ReturnKind
{
    Void,
    Value,
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}

/// <summary>Where one parameter of a step gets its value.</summary>
/// <param name="Kind">The binding rule that applied.</param>
/// <param name="ParameterName">The parameter's name.</param>
/// <param name="Type">The parameter's fully qualified type.</param>
/// <param name="Source">The producing step's index (<see cref="ArgumentKind.StepOutput"/>), the first-success group's stage index (<see cref="ArgumentKind.GroupOutput"/>) or the input's index (<see cref="ArgumentKind.Input"/>); otherwise -1.</param>
internal sealed record ArgumentModel(ArgumentKind Kind, string ParameterName, string Type, int Source);

/// <summary>The binding rules of DESIGN.md, in the order they apply.</summary>
internal enum ArgumentKind
{
    CancellationToken,
    StepContext,
    Item,
    StepOutput,
    GroupOutput,
    Input,
}

/// <summary>A stage: one step on its own, or a parallel group whose members run at the same time.</summary>
/// <param name="Group">The group's name, or <see langword="null"/> for a single step.</param>
/// <param name="Steps">The indexes of its steps, in declaration order.</param>
/// <param name="Failure">What a failing member does to the group.</param>
/// <param name="MinSuccessCount">With <see cref="GroupFailure.ContinueOnError"/>: the fewest members that must succeed.</param>
/// <param name="TimeoutMilliseconds">The limit on the whole group; 0 for none.</param>
internal sealed record StageModel(string? Group, EquatableArray<int> Steps, GroupFailure Failure, int MinSuccessCount, int TimeoutMilliseconds)
{
    public bool IsGroup => Group is not null;
}

/// <summary>Mirrors <c>Flows.FailurePolicy</c>; the values are the same.</summary>
internal enum GroupFailure
{
    FailFast = 0,
    WaitAll = 1,
    ContinueOnError = 2,
    FirstSuccess = 3,
}

/// <summary>A workflow input: a parameter of <c>RunAsync</c>.</summary>
/// <param name="Name">The name, as first declared.</param>
/// <param name="Type">The fully qualified type.</param>
internal sealed record InputModel(string Name, string Type);

/// <summary>The step hooks a workflow implements.</summary>
[System.Flags]
internal enum HookKinds
{
    None = 0,
    Starting = 1,
    Completed = 2,
    Failed = 4,
}
