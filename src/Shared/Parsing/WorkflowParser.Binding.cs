using System.Collections.Immutable;
using Flows.Analyzers;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Parsing;

internal static partial class WorkflowParser
{
    private sealed partial class Parser
    {
        private void BindParameters(StepDraft[] steps, List<StageDraft> stages, StepDraft step, List<InputDraft> inputs)
        {
            foreach (var parameter in step.Method.Parameters)
            {
                step.Arguments.Add(Bind(steps, stages, step, parameter, inputs));
            }
        }

        // The binding rules of DESIGN.md, in their order.
        private ArgumentDraft Bind(StepDraft[] steps, List<StageDraft> stages, StepDraft step, IParameterSymbol parameter, List<InputDraft> inputs)
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

            if (step.ForEach is { } forEach && SymbolEqualityComparer.Default.Equals(forEach.ItemParameter, parameter))
            {
                return new ArgumentDraft(ArgumentKind.Item, parameter, -1);
            }

            var fromStep = parameter.FindAttribute(KnownTypeNames.FromStepAttribute);
            if (fromStep is not null)
            {
                var argument = fromStep.ConstructorArguments.Length == 1 ? fromStep.ConstructorArguments[0] : default;
                var name = argument.Value as string;
                if (argument.Kind == TypedConstantKind.Error || fromStep.ConstructorArguments.Length != 1)
                {
                    CannotGenerate(DiagnosticIds.UnboundParameter, fromStep.ArgumentLocation(null, 0, _cancellationToken), step.Method.Name, parameter.Name, "[FromStep] needs the constant name of a step, such as nameof(Step)");
                    return new ArgumentDraft(ArgumentKind.StepOutput, parameter, -1);
                }

                if (string.IsNullOrEmpty(name))
                {
                    Report(DiagnosticIds.UnboundParameter, fromStep.ArgumentLocation(null, 0, _cancellationToken), step.Method.Name, parameter.Name, "[FromStep] names no step; write [FromStep(nameof(Step))]");
                    return new ArgumentDraft(ArgumentKind.StepOutput, parameter, -1);
                }

                var producer = FindStep(steps, name!);
                if (producer >= 0)
                {
                    return BindOutput(steps, stages, step, parameter, producer);
                }

                var group = FindFirstSuccessGroup(stages, name!);
                if (group >= 0)
                {
                    return BindGroupOutput(steps, stages, step, parameter, group);
                }

                Report(
                    DiagnosticIds.UnboundParameter,
                    fromStep.ArgumentLocation(null, 0, _cancellationToken),
                    step.Method.Name,
                    parameter.Name,
                    $"[FromStep] names '{name!}', which is not a step of workflow '{_type.Name}'");
                return new ArgumentDraft(ArgumentKind.StepOutput, parameter, -1);
            }

            for (var i = 0; i < steps.Length; i++)
            {
                if (string.Equals(steps[i].OutputName, parameter.Name, StringComparison.OrdinalIgnoreCase))
                {
                    return BindOutput(steps, stages, step, parameter, i);
                }
            }

            var groupByName = FindFirstSuccessGroup(stages, parameter.Name);
            if (groupByName >= 0)
            {
                return BindGroupOutput(steps, stages, step, parameter, groupByName);
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

            var outputName = OutputNameOf(name);
            for (var i = 0; i < steps.Length; i++)
            {
                if (string.Equals(steps[i].OutputName, outputName, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return -1;
        }

        private static int FindFirstSuccessGroup(List<StageDraft> stages, string name)
        {
            foreach (var stage in stages)
            {
                if (stage.FailurePolicy == GroupFailure.FirstSuccess && string.Equals(stage.Group, name, StringComparison.OrdinalIgnoreCase))
                {
                    return stage.Index;
                }
            }

            return -1;
        }

        private ArgumentDraft BindOutput(StepDraft[] steps, List<StageDraft> stages, StepDraft consumer, IParameterSymbol parameter, int producerIndex)
        {
            var producer = steps[producerIndex];
            var argument = new ArgumentDraft(ArgumentKind.StepOutput, parameter, producerIndex);
            var location = parameter.NameLocation();
            if (producer == consumer)
            {
                Report(DiagnosticIds.StepOrder, location, consumer.Method.Name, parameter.Name, "it is the step's own output");
                return argument;
            }

            if (producer.ValueType is null)
            {
                if (producer.ReturnKind != ReturnKind.Value)
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

            if (stages[producer.Stage].FailurePolicy == GroupFailure.FirstSuccess && stages[producer.Stage].Group is { } group)
            {
                Report(
                    DiagnosticIds.UnboundParameter,
                    location,
                    producer.Method.NameLocation(),
                    consumer.Method.Name,
                    parameter.Name,
                    $"step '{producer.Method.Name}' is a member of FirstSuccess group '{group}', whose one value is named '{group}'");
                return argument;
            }

            CheckOrder(consumer, producer, location, parameter.Name);
            if (producer.OutputType is { } output && parameter.Type.TypeKind != TypeKind.Error && !Accepts(parameter.Type, output))
            {
                // FLOW011: a value that may not exist is consumed as if it always did.
                if (WithoutOutcomes(output) is { } plain && Accepts(parameter.Type, plain))
                {
                    // The fix declares the parameter as exactly this type: a foreach's or a group member's output is
                    // not its method's return type.
                    _problems.Add(new WorkflowProblem(
                        DiagnosticIds.OutcomeRequired,
                        location,
                        ImmutableArray.Create(producer.Method.NameLocation()),
                        consumer.Method.Name,
                        parameter.Name,
                        producer.Method.Name,
                        output.ToDisplayString())
                    {
                        Properties = ImmutableDictionary<string, string?>.Empty.Add(DiagnosticIds.OutcomeTypeProperty, output.ToFullyQualified()),
                    });
                }
                else
                {
                    Report(
                        DiagnosticIds.UnboundParameter,
                        location,
                        producer.Method.NameLocation(),
                        consumer.Method.Name,
                        parameter.Name,
                        $"step '{producer.Method.Name}' produces '{output.ToDisplayString()}', which is not a '{parameter.Type.ToDisplayString()}'");
                }
            }

            return argument;
        }

        // Outcome<T> → T, and IReadOnlyList<Outcome<T>> → IReadOnlyList<T>: what a consumer that ignores failures
        // would declare. Null when the type holds no outcome.
        private ITypeSymbol? WithoutOutcomes(ITypeSymbol type)
        {
            if (type is not INamedTypeSymbol { IsGenericType: true } named || named.TypeArguments.Length != 1)
            {
                return null;
            }

            if (named.ConstructedFrom.Is(KnownTypeNames.Outcome))
            {
                return named.TypeArguments[0];
            }

            return named.ConstructedFrom.Is(ReadOnlyListName) && WithoutOutcomes(named.TypeArguments[0]) is { } item
                ? ListOf(item)
                : null;
        }

        private ArgumentDraft BindGroupOutput(StepDraft[] steps, List<StageDraft> stages, StepDraft consumer, IParameterSymbol parameter, int stageIndex)
        {
            var stage = stages[stageIndex];
            var location = parameter.NameLocation();
            var first = steps[stage.Steps[0]];
            if (consumer.Stage == stageIndex)
            {
                Report(DiagnosticIds.DependentParallelSteps, location, first.Method.NameLocation(), consumer.Method.Name, stage.Group!, stage.Group!);
            }
            else
            {
                // The members share one stage: one check says whether the group's value is ready.
                CheckOrder(consumer, first, location, parameter.Name);
                foreach (var member in stage.Steps)
                {
                    consumer.Dependencies.Add(member);
                }
            }

            if (stage.OutputType is { } output && parameter.Type.TypeKind != TypeKind.Error && !Accepts(parameter.Type, output))
            {
                Report(
                    DiagnosticIds.UnboundParameter,
                    location,
                    first.Method.NameLocation(),
                    consumer.Method.Name,
                    parameter.Name,
                    $"group '{stage.Group}' produces '{output.ToDisplayString()}', which is not a '{parameter.Type.ToDisplayString()}'");
            }

            return new ArgumentDraft(ArgumentKind.GroupOutput, parameter, stageIndex);
        }

        // FLOW001 and FLOW006: what a step consumes must be complete before it starts.
        private void CheckOrder(StepDraft consumer, StepDraft producer, Location location, string what)
        {
            consumer.Dependencies.Add(producer.Index);
            if (producer.Stage == consumer.Stage && producer != consumer)
            {
                Report(
                    DiagnosticIds.DependentParallelSteps,
                    location,
                    producer.Method.NameLocation(),
                    consumer.Method.Name,
                    producer.Method.Name,
                    consumer.Group ?? string.Empty);
            }
            else if (!IsDataflow && producer.Stage > consumer.Stage)
            {
                Report(
                    DiagnosticIds.StepOrder,
                    location,
                    producer.Method.NameLocation(),
                    consumer.Method.Name,
                    what,
                    $"step '{producer.Method.Name}' runs later");
            }
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

                if (input.OnlyForEachSource)
                {
                    // The first parameter that declares the input decides its type; it must still hold the items.
                    input.OnlyForEachSource = false;
                    input.Type = parameter.Type;
                    foreach (var forEach in input.ForEachConsumers)
                    {
                        CheckSourceItems(forEach, parameter.Type, parameter.NameLocation());
                    }
                }
                else if (!SymbolEqualityComparer.Default.Equals(input.Type, parameter.Type))
                {
                    if (parameter.Type.TypeKind != TypeKind.Error && input.Type.TypeKind != TypeKind.Error)
                    {
                        Report(
                            DiagnosticIds.UnboundParameter,
                            parameter.NameLocation(),
                            input.FirstLocation,
                            step.Method.Name,
                            parameter.Name,
                            $"input '{input.Name}' is a '{input.Type.ToDisplayString()}' in step '{input.FirstStep}' but a '{parameter.Type.ToDisplayString()}' here");
                    }
                }
                else if (parameter.Type.NullableAnnotation == NullableAnnotation.NotAnnotated)
                {
                    // One value feeds every step that declares the input: it must suit the strictest of them.
                    input.Type = parameter.Type;
                }

                return new ArgumentDraft(ArgumentKind.Input, parameter, i);
            }

            inputs.Add(new InputDraft(parameter.Name, parameter.Type, parameter.NameLocation(), step.Method.Name));
            return new ArgumentDraft(ArgumentKind.Input, parameter, inputs.Count - 1);
        }
    }
}
