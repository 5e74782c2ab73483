using System.Collections.Immutable;
using System.Threading;
using Flows.Analyzers;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.Generator.Parsing;

/// <summary>
/// Reads a <c>[Workflow]</c> class into a <see cref="WorkflowModel"/> and the problems its declaration has.
/// The generator and the analyzers both call it, so what is generated and what is reported cannot drift apart.
/// It never throws on half-typed code: what it cannot understand makes the model null.
/// </summary>
internal static class WorkflowParser
{
    private const string CancellationTokenName = "System.Threading.CancellationToken";
    private const string TaskName = "System.Threading.Tasks.Task";
    private const string TaskOfTName = "System.Threading.Tasks.Task`1";
    private const string ValueTaskName = "System.Threading.Tasks.ValueTask";
    private const string ValueTaskOfTName = "System.Threading.Tasks.ValueTask`1";

    /// <summary>Members the generator writes into every workflow class.</summary>
    private static readonly string[] s_generatedMembers = { "MermaidDiagram", "__RunAsync" };

    public static WorkflowParseResult Parse(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        var parser = new Parser(type, compilation, cancellationToken);
        return parser.Run();
    }

    /// <summary>The output name of a step method: its name without an <c>Async</c> suffix.</summary>
    public static string OutputNameOf(string methodName) =>
        methodName.Length > "Async".Length && methodName.EndsWith("Async", StringComparison.Ordinal)
            ? methodName.Substring(0, methodName.Length - "Async".Length)
            : methodName;

    public static bool IsStepMethod(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            var attributeClass = attribute.AttributeClass;
            if (attributeClass.Is(KnownTypeNames.StepAttribute)
                || attributeClass.Is(KnownTypeNames.ParallelAttribute)
                || attributeClass.Is(KnownTypeNames.ParallelForEachAttribute))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Parser
    {
        private readonly INamedTypeSymbol _type;
        private readonly CSharpCompilation? _compilation;
        private readonly CancellationToken _cancellationToken;
        private readonly ImmutableArray<WorkflowProblem>.Builder _problems = ImmutableArray.CreateBuilder<WorkflowProblem>();

        // Set when the workflow uses something this version of the generator does not write yet, or when the
        // code is too incomplete to understand. Nothing is generated, and nothing extra is reported.
        private bool _cannotGenerate;

        public Parser(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
        {
            _type = type;
            _compilation = compilation as CSharpCompilation;
            _cancellationToken = cancellationToken;
        }

        public WorkflowParseResult Run()
        {
            if (_compilation is null || _type.TypeKind != TypeKind.Class)
            {
                return new WorkflowParseResult(null, ImmutableArray<WorkflowProblem>.Empty, ImmutableArray<IMethodSymbol>.Empty);
            }

            CheckPartial();
            ReadWorkflowOptions();
            CheckGeneratedMemberNames();

            var methods = CollectStepMethods();
            var steps = new StepDraft[methods.Length];
            for (var i = 0; i < methods.Length; i++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                steps[i] = ReadStep(methods[i]);
            }

            CheckOutputNames(steps);
            var stages = BuildStages(steps);
            var inputs = new List<InputDraft>();
            for (var i = 0; i < steps.Length; i++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                BindParameters(steps, i, inputs);
            }

            var model = _cannotGenerate || HasErrors()
                ? null
                : BuildModel(steps, stages, inputs);
            return new WorkflowParseResult(model, _problems.ToImmutable(), methods);
        }

        private bool HasErrors()
        {
            foreach (var problem in _problems)
            {
                if (problem.Id != DiagnosticIds.StepsInSeveralDeclarations)
                {
                    return true;
                }
            }

            return false;
        }

        private void Report(string id, Location location, params string[] arguments) =>
            _problems.Add(new WorkflowProblem(id, location, ImmutableArray<Location>.Empty, arguments));

        private void Report(string id, Location location, Location additional, params string[] arguments) =>
            _problems.Add(new WorkflowProblem(id, location, ImmutableArray.Create(additional), arguments));

        // FLOW005: the generator adds members to the class, so it and every type around it must be partial.
        private void CheckPartial()
        {
            for (var type = _type; type is not null; type = type.ContainingType)
            {
                if (!type.IsPartial(_cancellationToken))
                {
                    Report(DiagnosticIds.NotPartial, type.NameLocation(), type.Name, _type.Name);
                }
            }
        }

        private void ReadWorkflowOptions()
        {
            var attribute = _type.FindAttribute(KnownTypeNames.WorkflowAttribute);
            if (attribute is null)
            {
                return;
            }

            // Dataflow scheduling and a whole-run timeout come with a later version of the generator.
            if (attribute.TryGetNamedArgument("Scheduling", out var scheduling) && scheduling.Value is int schedulingValue && schedulingValue != 0)
            {
                _cannotGenerate = true;
            }

            if (attribute.TryGetNamedArgument("TimeoutMilliseconds", out var timeout) && timeout.Value is int timeoutValue && timeoutValue != 0)
            {
                _cannotGenerate = true;
            }
        }

        private void CheckGeneratedMemberNames()
        {
            foreach (var name in s_generatedMembers)
            {
                foreach (var member in _type.GetMembers(name))
                {
                    if (!member.IsImplicitlyDeclared)
                    {
                        Report(DiagnosticIds.InvalidStepSignature, member.NameLocation(), member.Name, $"'{name}' is a member Flows generates; rename this member");
                    }
                }
            }
        }

        private ImmutableArray<IMethodSymbol> CollectStepMethods()
        {
            var methods = ImmutableArray.CreateBuilder<IMethodSymbol>();
            SyntaxNode? firstDeclaration = null;
            var reportedSpread = false;
            foreach (var member in _type.GetMembers())
            {
                if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method || !IsStepMethod(method))
                {
                    continue;
                }

                methods.Add(method);

                // FLOW013: the order of steps declared in two partial declarations depends on file order.
                var declaration = method.DeclaringSyntaxReferences.Length > 0
                    ? method.DeclaringSyntaxReferences[0].GetSyntax(_cancellationToken).Parent
                    : null;
                if (declaration is null)
                {
                    continue;
                }

                firstDeclaration ??= declaration;
                if (!reportedSpread && declaration != firstDeclaration)
                {
                    reportedSpread = true;
                    Report(DiagnosticIds.StepsInSeveralDeclarations, method.NameLocation(), firstDeclaration.GetLocation(), _type.Name, method.Name);
                }
            }

            return methods.ToImmutable();
        }

        private StepDraft ReadStep(IMethodSymbol method)
        {
            var step = new StepDraft(method, WorkflowParser.OutputNameOf(method.Name));
            CheckSignature(step);
            ReadStepAttributes(step);
            return step;
        }

        // FLOW008: what a step may not be.
        private void CheckSignature(StepDraft step)
        {
            var method = step.Method;
            var location = method.NameLocation();
            if (method.IsAsync && method.ReturnsVoid)
            {
                Report(DiagnosticIds.InvalidStepSignature, location, method.Name, "an async step must return Task or ValueTask, not void");
            }

            if (method.IsGenericMethod)
            {
                Report(DiagnosticIds.InvalidStepSignature, location, method.Name, "a step cannot be generic");
            }

            if (method.ReturnsByRef || method.ReturnsByRefReadonly)
            {
                Report(DiagnosticIds.InvalidStepSignature, location, method.Name, "a step cannot return by reference");
            }

            foreach (var parameter in method.Parameters)
            {
                if (parameter.RefKind != RefKind.None)
                {
                    Report(DiagnosticIds.InvalidStepSignature, parameter.NameLocation(), method.Name, $"parameter '{parameter.Name}' cannot be ref, out or in");
                }
                else if (!CanCrossAwait(parameter.Type))
                {
                    Report(DiagnosticIds.InvalidStepSignature, parameter.NameLocation(), method.Name, $"parameter '{parameter.Name}' has a type that cannot be kept across an await");
                }
                else if (parameter.Type.TypeKind == TypeKind.Error)
                {
                    _cannotGenerate = true;
                }
            }

            ClassifyReturn(step);
        }

        private void ClassifyReturn(StepDraft step)
        {
            var method = step.Method;
            var returnType = method.ReturnType;
            if (method.ReturnsVoid)
            {
                step.ReturnKind = ReturnKind.Void;
                return;
            }

            if (returnType.TypeKind == TypeKind.Error)
            {
                _cannotGenerate = true;
                return;
            }

            if (returnType.Is(TaskName))
            {
                step.ReturnKind = ReturnKind.Task;
            }
            else if (returnType.Is(ValueTaskName))
            {
                step.ReturnKind = ReturnKind.ValueTask;
            }
            else if (returnType.Is(TaskOfTName) || returnType.Is(ValueTaskOfTName))
            {
                step.ReturnKind = returnType.Is(TaskOfTName) ? ReturnKind.TaskOfT : ReturnKind.ValueTaskOfT;
                step.ValueType = ((INamedTypeSymbol)returnType).TypeArguments[0];
            }
            else
            {
                step.ReturnKind = ReturnKind.Value;
                step.ValueType = returnType;
            }

            if (step.ValueType is { } value)
            {
                if (value.TypeKind == TypeKind.Error)
                {
                    _cannotGenerate = true;
                }
                else if (!CanCrossAwait(value))
                {
                    Report(DiagnosticIds.InvalidStepSignature, method.NameLocation(), method.Name, $"its value of type '{value.ToDisplayString()}' cannot be kept across an await");
                }
            }
        }

        private static bool CanCrossAwait(ITypeSymbol type) =>
            !type.IsRefLikeType && type.TypeKind is not (TypeKind.Pointer or TypeKind.FunctionPointer);

        private void ReadStepAttributes(StepDraft step)
        {
            foreach (var attribute in step.Method.GetAttributes())
            {
                var attributeClass = attribute.AttributeClass;
                if (attributeClass.Is(KnownTypeNames.ParallelAttribute))
                {
                    step.Parallel = attribute;
                    step.Group = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
                    if (string.IsNullOrWhiteSpace(step.Group))
                    {
                        if (attribute.ConstructorArguments.Length == 1 && !attribute.ConstructorArguments[0].IsNull && attribute.ConstructorArguments[0].Kind != TypedConstantKind.Error)
                        {
                            Report(DiagnosticIds.InvalidOption, attribute.ArgumentLocation(null, 0, _cancellationToken), step.Method.Name, "Parallel", "the group name cannot be empty");
                        }
                        else
                        {
                            Report(DiagnosticIds.InvalidOption, attribute.ArgumentLocation(null, 0, _cancellationToken), step.Method.Name, "Parallel", "the group name cannot be null");
                        }
                    }
                }
                else if (attributeClass.Is(KnownTypeNames.StepAttribute))
                {
                    if (attribute.TryGetNamedArgument("ContinueOnError", out var continueOnError) && continueOnError.Value is true)
                    {
                        _cannotGenerate = true; // Outcome<T> consumers come with a later version.
                    }
                }
                else if (attributeClass.Is(KnownTypeNames.ParallelForEachAttribute)
                    || attributeClass.Is(KnownTypeNames.RetryAttribute)
                    || attributeClass.Is(KnownTypeNames.TimeoutAttribute)
                    || attributeClass.Is(KnownTypeNames.AfterAttribute))
                {
                    _cannotGenerate = true; // Written by a later version of the generator.
                }
            }
        }

        // FLOW008: two steps may not share an output name, or binding by name would be ambiguous.
        private void CheckOutputNames(StepDraft[] steps)
        {
            var seen = new Dictionary<string, StepDraft>(StringComparer.OrdinalIgnoreCase);
            foreach (var step in steps)
            {
                if (seen.TryGetValue(step.OutputName, out var first))
                {
                    Report(
                        DiagnosticIds.InvalidStepSignature,
                        step.Method.NameLocation(),
                        first.Method.NameLocation(),
                        step.Method.Name,
                        $"its output name '{step.OutputName}' is also the output name of step '{first.Method.Name}'");
                }
                else
                {
                    seen.Add(step.OutputName, step);
                }
            }
        }

        private List<StageDraft> BuildStages(StepDraft[] steps)
        {
            var stages = new List<StageDraft>();
            var groups = new Dictionary<string, StageDraft>(StringComparer.Ordinal);
            for (var i = 0; i < steps.Length; i++)
            {
                var step = steps[i];
                StageDraft stage;
                if (step.Group is null)
                {
                    stage = new StageDraft(null, stages.Count);
                    stages.Add(stage);
                }
                else if (!groups.TryGetValue(step.Group, out stage!))
                {
                    stage = new StageDraft(step.Group, stages.Count);
                    stages.Add(stage);
                    groups.Add(step.Group, stage);
                }

                stage.Steps.Add(i);
                step.Stage = stage.Index;
                if (step.Parallel is { } parallel)
                {
                    ReadGroupOptions(stage, step, parallel);
                }
            }

            return stages;
        }

        // FLOW009: group options may be written on any member, but members may not disagree.
        private void ReadGroupOptions(StageDraft stage, StepDraft step, AttributeData attribute)
        {
            if (attribute.TryGetNamedArgument("Failure", out var failure) && failure.Value is int policy)
            {
                if (policy is < 0 or > 3)
                {
                    Report(DiagnosticIds.InvalidOption, attribute.ArgumentLocation("Failure", -1, _cancellationToken), step.Method.Name, "Failure", $"{policy} is not a FailurePolicy");
                }
                else if (stage.FailureSetBy is { } other && (int)stage.Failure != policy)
                {
                    Report(
                        DiagnosticIds.InvalidOption,
                        attribute.ArgumentLocation("Failure", -1, _cancellationToken),
                        other.Method.NameLocation(),
                        step.Method.Name,
                        "Failure",
                        $"group '{stage.Group}' already has Failure = {stage.Failure} from step '{other.Method.Name}'");
                }
                else
                {
                    stage.Failure = (GroupFailure)policy;
                    stage.FailureSetBy = step;
                    if (stage.Failure is GroupFailure.ContinueOnError or GroupFailure.FirstSuccess)
                    {
                        _cannotGenerate = true; // Written by a later version of the generator.
                    }
                }
            }

            if (attribute.TryGetNamedArgument("MinSuccessCount", out var minSuccess) && minSuccess.Value is int min && min != 0)
            {
                _cannotGenerate = true;
            }

            if (attribute.TryGetNamedArgument("TimeoutMilliseconds", out var timeout) && timeout.Value is int milliseconds && milliseconds != 0)
            {
                _cannotGenerate = true;
            }
        }

        private void BindParameters(StepDraft[] steps, int index, List<InputDraft> inputs)
        {
            var step = steps[index];
            foreach (var parameter in step.Method.Parameters)
            {
                step.Arguments.Add(Bind(steps, step, parameter, inputs));
            }
        }

        private ArgumentDraft Bind(StepDraft[] steps, StepDraft step, IParameterSymbol parameter, List<InputDraft> inputs)
        {
            var type = parameter.Type;
            if (type.Is(CancellationTokenName))
            {
                return new ArgumentDraft(ArgumentKind.CancellationToken, parameter, -1);
            }

            if (type.Is(KnownTypeNames.StepContext))
            {
                return new ArgumentDraft(ArgumentKind.StepContext, parameter, -1);
            }

            var fromStep = parameter.FindAttribute(KnownTypeNames.FromStepAttribute);
            if (fromStep is not null)
            {
                var name = fromStep.ConstructorArguments.Length == 1 ? fromStep.ConstructorArguments[0].Value as string : null;
                var producer = name is null ? -1 : FindStep(steps, name);
                if (producer < 0)
                {
                    if (name is null)
                    {
                        _cannotGenerate = true;
                    }
                    else
                    {
                        Report(
                            DiagnosticIds.UnboundParameter,
                            fromStep.ArgumentLocation(null, 0, _cancellationToken),
                            step.Method.Name,
                            parameter.Name,
                            $"[FromStep] names '{name}', which is not a step of workflow '{_type.Name}'");
                    }

                    return new ArgumentDraft(ArgumentKind.StepOutput, parameter, -1);
                }

                return BindOutput(steps, step, parameter, producer);
            }

            for (var i = 0; i < steps.Length; i++)
            {
                if (string.Equals(steps[i].OutputName, parameter.Name, StringComparison.OrdinalIgnoreCase))
                {
                    return BindOutput(steps, step, parameter, i);
                }
            }

            return BindInput(step, parameter, inputs);
        }

        private static int FindStep(StepDraft[] steps, string name)
        {
            for (var i = 0; i < steps.Length; i++)
            {
                if (steps[i].Method.Name == name)
                {
                    return i;
                }
            }

            for (var i = 0; i < steps.Length; i++)
            {
                if (string.Equals(steps[i].OutputName, WorkflowParser.OutputNameOf(name), StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return -1;
        }

        private ArgumentDraft BindOutput(StepDraft[] steps, StepDraft consumer, IParameterSymbol parameter, int producerIndex)
        {
            var producer = steps[producerIndex];
            var argument = new ArgumentDraft(ArgumentKind.StepOutput, parameter, producerIndex);
            var location = parameter.NameLocation();
            if (producer == consumer)
            {
                Report(DiagnosticIds.StepOrder, location, consumer.Method.Name, parameter.Name, $"it is the step's own output");
                return argument;
            }

            if (producer.ReturnKind is ReturnKind.Void or ReturnKind.Task or ReturnKind.ValueTask)
            {
                if (producer.ValueType is null && !_cannotGenerate)
                {
                    Report(
                        DiagnosticIds.UnboundParameter,
                        location,
                        producer.Method.NameLocation(),
                        consumer.Method.Name,
                        parameter.Name,
                        $"step '{producer.Method.Name}' produces no value");
                }

                return argument;
            }

            if (producer.Stage == consumer.Stage)
            {
                Report(
                    DiagnosticIds.DependentParallelSteps,
                    location,
                    producer.Method.NameLocation(),
                    consumer.Method.Name,
                    producer.Method.Name,
                    consumer.Group ?? string.Empty);
            }
            else if (producer.Stage > consumer.Stage)
            {
                Report(
                    DiagnosticIds.StepOrder,
                    location,
                    producer.Method.NameLocation(),
                    consumer.Method.Name,
                    parameter.Name,
                    $"step '{producer.Method.Name}' runs later");
            }

            if (producer.ValueType is { } value && parameter.Type.TypeKind != TypeKind.Error && !Accepts(parameter.Type, value))
            {
                Report(
                    DiagnosticIds.UnboundParameter,
                    location,
                    producer.Method.NameLocation(),
                    consumer.Method.Name,
                    parameter.Name,
                    $"step '{producer.Method.Name}' produces '{value.ToDisplayString()}', which is not a '{parameter.Type.ToDisplayString()}'");
            }

            return argument;
        }

        // The output type itself or an implicit reference conversion of it; a value that may be null may not
        // flow into a parameter that says it is never null.
        private bool Accepts(ITypeSymbol parameter, ITypeSymbol value)
        {
            var conversion = _compilation!.ClassifyConversion(value, parameter);
            if (!conversion.IsIdentity && !(conversion.IsImplicit && conversion.IsReference))
            {
                return false;
            }

            return !(value.IsReferenceType
                && value.NullableAnnotation == NullableAnnotation.Annotated
                && parameter.NullableAnnotation == NullableAnnotation.NotAnnotated);
        }

        private ArgumentDraft BindInput(StepDraft step, IParameterSymbol parameter, List<InputDraft> inputs)
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                var input = inputs[i];
                if (!string.Equals(input.Name, parameter.Name, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (!SymbolEqualityComparer.Default.Equals(input.Type, parameter.Type))
                {
                    if (parameter.Type.TypeKind != TypeKind.Error && input.Type.TypeKind != TypeKind.Error)
                    {
                        Report(
                            DiagnosticIds.UnboundParameter,
                            parameter.NameLocation(),
                            input.FirstParameter.NameLocation(),
                            step.Method.Name,
                            parameter.Name,
                            $"input '{input.Name}' is a '{input.Type.ToDisplayString()}' in step '{input.FirstStep.Method.Name}' but a '{parameter.Type.ToDisplayString()}' here");
                    }
                }
                else if (parameter.Type.NullableAnnotation == NullableAnnotation.NotAnnotated)
                {
                    // One value feeds every step that declares the input: it must suit the strictest of them.
                    input.Type = parameter.Type;
                }

                return new ArgumentDraft(ArgumentKind.Input, parameter, i);
            }

            inputs.Add(new InputDraft(parameter.Name, parameter.Type, parameter, step));
            return new ArgumentDraft(ArgumentKind.Input, parameter, inputs.Count - 1);
        }

        private WorkflowModel BuildModel(StepDraft[] steps, List<StageDraft> stages, List<InputDraft> inputs)
        {
            var stepModels = new StepModel[steps.Length];
            for (var i = 0; i < steps.Length; i++)
            {
                var step = steps[i];
                stepModels[i] = new StepModel(
                    step.Method.Name,
                    step.OutputName,
                    step.Method.IsStatic,
                    step.Method.IsAsync,
                    step.ReturnKind,
                    step.ValueType?.ToFullyQualified(),
                    step.Arguments.Select(static a => new ArgumentModel(a.Kind, a.Parameter.Name, a.Parameter.Type.ToFullyQualified(), a.Source)).ToEquatableArray(),
                    step.Stage);
            }

            var containing = new List<TypeDeclarationModel>();
            for (var type = _type.ContainingType; type is not null; type = type.ContainingType)
            {
                containing.Insert(0, DeclarationOf(type));
            }

            return new WorkflowModel(
                _type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
                containing.ToEquatableArray(),
                DeclarationOf(_type),
                _type.IsStatic,
                stepModels.ToEquatableArray(),
                stages.Select(static s => new StageModel(s.Group, s.Steps.ToEquatableArray(), s.Failure)).ToEquatableArray(),
                inputs.Select(static i => new InputModel(i.Name, i.Type.ToFullyQualified())).ToEquatableArray(),
                ReadHooks());
        }

        private static TypeDeclarationModel DeclarationOf(INamedTypeSymbol type)
        {
            var keyword = type.TypeKind switch
            {
                TypeKind.Struct => type.IsRecord ? "record struct" : "struct",
                TypeKind.Interface => "interface",
                _ => type.IsRecord ? "record" : "class",
            };
            return new TypeDeclarationModel(keyword, type.Name, type.TypeParameters.Select(static p => p.Name).ToEquatableArray());
        }

        private HookKinds ReadHooks()
        {
            var hooks = HookKinds.None;
            if (Implements("OnStepStarting"))
            {
                hooks |= HookKinds.Starting;
            }

            if (Implements("OnStepCompleted"))
            {
                hooks |= HookKinds.Completed;
            }

            if (Implements("OnStepFailed"))
            {
                hooks |= HookKinds.Failed;
            }

            return hooks;
        }

        // Before generation the user's hook is a partial implementation with no definition; once generated
        // code is in the compilation (as the analyzers see it), the definition points at the implementation.
        private bool Implements(string hook)
        {
            foreach (var member in _type.GetMembers(hook))
            {
                if (member is IMethodSymbol method && (!method.IsPartialDefinition || method.PartialImplementationPart is not null))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed class StepDraft
    {
        public StepDraft(IMethodSymbol method, string outputName)
        {
            Method = method;
            OutputName = outputName;
        }

        public IMethodSymbol Method { get; }

        public string OutputName { get; }

        public ReturnKind ReturnKind { get; set; }

        public ITypeSymbol? ValueType { get; set; }

        public AttributeData? Parallel { get; set; }

        public string? Group { get; set; }

        public int Stage { get; set; }

        public List<ArgumentDraft> Arguments { get; } = new();
    }

    private sealed class StageDraft
    {
        public StageDraft(string? group, int index)
        {
            Group = group;
            Index = index;
        }

        public string? Group { get; }

        public int Index { get; }

        public List<int> Steps { get; } = new();

        public GroupFailure Failure { get; set; }

        public StepDraft? FailureSetBy { get; set; }
    }

    private readonly struct ArgumentDraft
    {
        public ArgumentDraft(ArgumentKind kind, IParameterSymbol parameter, int source)
        {
            Kind = kind;
            Parameter = parameter;
            Source = source;
        }

        public ArgumentKind Kind { get; }

        public IParameterSymbol Parameter { get; }

        public int Source { get; }
    }

    private sealed class InputDraft
    {
        public InputDraft(string name, ITypeSymbol type, IParameterSymbol firstParameter, StepDraft firstStep)
        {
            Name = name;
            Type = type;
            FirstParameter = firstParameter;
            FirstStep = firstStep;
        }

        public string Name { get; }

        public ITypeSymbol Type { get; set; }

        public IParameterSymbol FirstParameter { get; }

        public StepDraft FirstStep { get; }
    }
}
