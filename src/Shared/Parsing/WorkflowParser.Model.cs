using System.Collections.Immutable;
using System.Threading;
using Flows.Analyzers;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

// The model the generator writes from: built from the drafts once the workflow has no error.
namespace Flows.Generator.Parsing;

internal static partial class WorkflowParser
{
    private sealed partial class Parser
    {
        private WorkflowModel BuildModel(StepDraft[] steps, List<StageDraft> stages, List<InputDraft> inputs, DurableModel? durable)
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
                    step.Arguments.Select(a => new ArgumentModel(a.Kind, a.Parameter.Name, CarriedType(a, steps, stages, inputs).ToFullyQualified(), a.Source)).ToEquatableArray(),
                    step.Stage,
                    step.OutputType?.ToFullyQualified(),
                    step.ContinueOnError || stages[step.Stage].FailurePolicy == GroupFailure.ContinueOnError,
                    step.ForEach?.ToModel(),
                    step.Retry,
                    step.TimeoutMilliseconds,
                    step.After.ToEquatableArray());
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
                stages.Select(static s => new StageModel(s.Group, s.Steps.ToEquatableArray(), s.FailurePolicy, s.MinSuccessCount, s.TimeoutMilliseconds)).ToEquatableArray(),
                inputs.Select(static i => new InputModel(i.Name, i.Type.ToFullyQualified())).ToEquatableArray(),
                ReadHooks(),
                _scheduling,
                _timeoutMilliseconds,
                durable);
        }

        // Generated code carries a value in the type it was produced with and converts it only where it calls the
        // step, as the user's own call would: so a step declared where nullable annotations are off (oblivious types)
        // takes a 'string?' output as the user's code would, with no warning in the generated file.
        private static ITypeSymbol CarriedType(ArgumentDraft argument, StepDraft[] steps, List<StageDraft> stages, List<InputDraft> inputs)
        {
            var produced = argument.Kind switch
            {
                ArgumentKind.StepOutput when argument.Source >= 0 && argument.Source < steps.Length => steps[argument.Source].OutputType,
                ArgumentKind.GroupOutput when argument.Source >= 0 && argument.Source < stages.Count && stages[argument.Source].Steps.Count > 0 => steps[stages[argument.Source].Steps[0]].OutputType,
                ArgumentKind.Input when argument.Source >= 0 && argument.Source < inputs.Count => inputs[argument.Source].Type,
                _ => null,
            };
            return produced ?? argument.Parameter.Type;
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
}
