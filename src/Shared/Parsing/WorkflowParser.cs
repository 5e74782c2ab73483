using System.Collections.Immutable;
using System.Threading;
using Flows.Analyzers;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Flows.Generator.Parsing;

/// <summary>
/// Reads a <c>[Workflow]</c> class into a <see cref="WorkflowModel"/> and the problems its declaration has.
/// The generator and the analyzers both call it, so what is generated and what is reported cannot drift apart.
/// It never throws on half-typed code: what it cannot understand makes the model null.
/// </summary>
internal static partial class WorkflowParser
{
    private const string CancellationTokenName = "System.Threading.CancellationToken";
    private const string TaskName = "System.Threading.Tasks.Task";
    private const string TaskOfTName = "System.Threading.Tasks.Task`1";
    private const string ValueTaskName = "System.Threading.Tasks.ValueTask";
    private const string ValueTaskOfTName = "System.Threading.Tasks.ValueTask`1";
    private const string ReadOnlyListName = "System.Collections.Generic.IReadOnlyList`1";
    private const string EnumerableName = "System.Collections.Generic.IEnumerable`1";
    private const string AsyncEnumerableName = "System.Collections.Generic.IAsyncEnumerable`1";
    private const string ExceptionName = "System.Exception";

    public static WorkflowParseResult Parse(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        var parser = new Parser(type, compilation, cancellationToken);
        return parser.Run();
    }

    /// <summary>The output name of a step method: its name without an <c>Async</c> suffix.</summary>
    public static string OutputNameOf(string methodName) => ParameterNames.OutputNameOf(methodName);

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

    private sealed partial class Parser
    {
        private readonly INamedTypeSymbol _type;
        private readonly CSharpCompilation? _compilation;
        private readonly CancellationToken _cancellationToken;
        private readonly ImmutableArray<WorkflowProblem>.Builder _problems = ImmutableArray.CreateBuilder<WorkflowProblem>();
        private SchedulingKind _scheduling;
        private int _timeoutMilliseconds;

        // The first reason the code is too incomplete to generate from (a type that does not resolve, an attribute
        // argument that is not a constant). Nothing is generated; when no other FLOW error explains why, this one is
        // reported, so that a [Workflow] without RunAsync always has a FLOW error that says why.
        private WorkflowProblem? _cannotGenerate;

        public Parser(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
        {
            _type = type;
            _compilation = compilation as CSharpCompilation;
            _cancellationToken = cancellationToken;
        }

        private bool IsDataflow => _scheduling == SchedulingKind.Dataflow;

        public WorkflowParseResult Run()
        {
            if (_compilation is null)
            {
                return new WorkflowParseResult(null, ImmutableArray<WorkflowProblem>.Empty, ImmutableArray<IMethodSymbol>.Empty);
            }

            if (_type.TypeKind != TypeKind.Class)
            {
                // [Workflow] is for classes only (the compiler says so too, CS0592); say what was not generated.
                Report(DiagnosticIds.InvalidOption, _type.NameLocation(), _type.Name, "Workflow", $"a workflow is a partial class, and '{_type.Name}' is not a class, so RunAsync is not generated");
                return new WorkflowParseResult(null, _problems.ToImmutable(), ImmutableArray<IMethodSymbol>.Empty);
            }

            CheckPartial();
            ReadWorkflowOptions();

            var methods = CollectStepMethods();
            var steps = new StepDraft[methods.Length];
            for (var i = 0; i < methods.Length; i++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                steps[i] = ReadStep(methods[i], i);
            }

            CheckOutputNames(steps);
            var stages = BuildStages(steps);
            CheckFirstSuccessGroups(steps, stages);
            ComputeOutputTypes(steps, stages);
            var inputs = new List<InputDraft>();
            for (var i = 0; i < steps.Length; i++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (steps[i].ForEach is not null)
                {
                    BindForEachSource(steps, stages, steps[i], inputs);
                }

                BindParameters(steps, stages, steps[i], inputs);
                BindAfter(steps, steps[i]);
            }

            if (IsDataflow)
            {
                CheckCycles(steps, stages);
            }

            CheckReservedNames(steps, inputs);
            CheckRunAsyncAccessibility(steps, stages, inputs);
            CheckMisnamedInputs(steps, stages, inputs);
            var durable = CheckDurable(steps, inputs);
            if (_cannotGenerate is not null && !HasErrors())
            {
                _problems.Add(_cannotGenerate);
            }

            var model = HasErrors()
                ? null
                : BuildModel(steps, stages, inputs, durable);
            return new WorkflowParseResult(model, _problems.ToImmutable(), methods);
        }

        private bool HasErrors()
        {
            foreach (var problem in _problems)
            {
                // Warnings, and durable errors: RunAsync is still generated (the Durable class is not).
                if (problem.Id is not (DiagnosticIds.StepsInSeveralDeclarations or DiagnosticIds.MisnamedInput) && !IsDurableProblem(problem.Id))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Records why nothing can be generated, reported only when no other error says so.</summary>
        private void CannotGenerate(string id, Location location, params string[] arguments) =>
            _cannotGenerate ??= new WorkflowProblem(id, location, ImmutableArray<Location>.Empty, arguments);

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

            // The generated part lives in a file of its own, which cannot continue a file-local type.
            for (var type = _type; type is not null; type = type.ContainingType)
            {
                if (type.IsFileLocal)
                {
                    Report(DiagnosticIds.InvalidOption, type.NameLocation(), _type.Name, "Workflow", $"'{type.Name}' is a file-local type, and Flows generates RunAsync into another file; remove 'file'");
                    break;
                }
            }

            if (attribute.TryGetNamedArgument("Scheduling", out var scheduling) && scheduling.Value is int schedulingValue)
            {
                if (schedulingValue is 0 or 1)
                {
                    _scheduling = (SchedulingKind)schedulingValue;
                }
                else
                {
                    Report(DiagnosticIds.InvalidOption, attribute.ArgumentLocation("Scheduling", -1, _cancellationToken), _type.Name, "Scheduling", $"{schedulingValue} is not a Scheduling value");
                }
            }

            if (attribute.TryGetNamedArgument("TimeoutMilliseconds", out var timeout) && timeout.Value is int milliseconds)
            {
                if (milliseconds < 0)
                {
                    Report(DiagnosticIds.InvalidOption, attribute.ArgumentLocation("TimeoutMilliseconds", -1, _cancellationToken), _type.Name, "TimeoutMilliseconds", "it cannot be negative (0 means no limit)");
                }
                else
                {
                    _timeoutMilliseconds = milliseconds;
                }
            }

            ReadDurableOption(attribute);


        }

        private static bool IsGenerated(ISymbol member) =>
            member.Locations.Length > 0
            && member.Locations[0].SourceTree?.FilePath.EndsWith(".Flows.g.cs", StringComparison.OrdinalIgnoreCase) == true;

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

        private StepDraft ReadStep(IMethodSymbol method, int index)
        {
            var step = new StepDraft(method, OutputNameOf(method.Name), index);
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

            if (method.IsVararg)
            {
                Report(DiagnosticIds.InvalidStepSignature, location, method.Name, "a step cannot take __arglist");
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
                    CannotGenerate(DiagnosticIds.InvalidStepSignature, parameter.NameLocation(), method.Name, $"the type of parameter '{parameter.Name}' does not resolve, so RunAsync is not generated until it does");
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
                CannotGenerate(DiagnosticIds.InvalidStepSignature, method.NameLocation(), method.Name, "its return type does not resolve, so RunAsync is not generated until it does");
                return;
            }

            // A nullable task cannot be awaited without a null check the step's author did not intend.
            if (returnType.NullableAnnotation == NullableAnnotation.Annotated && (returnType.Is(TaskName) || returnType.Is(TaskOfTName))
                || returnType is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable && nullable.TypeArguments.Length == 1 && (nullable.TypeArguments[0].Is(ValueTaskName) || nullable.TypeArguments[0].Is(ValueTaskOfTName)))
            {
                Report(DiagnosticIds.InvalidStepSignature, method.NameLocation(), method.Name, $"it returns a nullable task ('{returnType.ToDisplayString()}'), which Flows cannot await; remove the '?'");
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
                if (value.TypeKind == TypeKind.Error || value.ContainsErrorType())
                {
                    CannotGenerate(DiagnosticIds.InvalidStepSignature, method.NameLocation(), method.Name, "its return type does not resolve, so RunAsync is not generated until it does");
                }
                else if (value.ContainsDynamic())
                {
                    Report(DiagnosticIds.InvalidStepSignature, method.NameLocation(), method.Name, $"its value type '{value.ToDisplayString()}' contains 'dynamic', which generated code cannot use as a type argument; use 'object' instead");
                }
                else if (!CanCrossAwait(value))
                {
                    Report(DiagnosticIds.InvalidStepSignature, method.NameLocation(), method.Name, $"its value of type '{value.ToDisplayString()}' cannot be kept across an await");
                }
            }
        }

        private static bool CanCrossAwait(ITypeSymbol type) =>
            !type.IsRefLikeType && type.TypeKind is not (TypeKind.Pointer or TypeKind.FunctionPointer);

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
            foreach (var step in steps)
            {
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

                stage.Steps.Add(step.Index);
                step.Stage = stage.Index;
                if (step.Parallel is { } parallel)
                {
                    ReadGroupOptions(stage, step, parallel);
                }
            }

            foreach (var stage in stages)
            {
                CheckGroupOptions(stage, steps);
            }

            return stages;
        }
    }
}
