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
                    Report(
                        DiagnosticIds.OutcomeRequired,
                        location,
                        producer.Method.NameLocation(),
                        consumer.Method.Name,
                        parameter.Name,
                        producer.Method.Name,
                        output.ToDisplayString());
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

        // FLOW010: a foreach reads a step's output or a workflow input, whose items must fit its first parameter.
        private void BindForEachSource(StepDraft[] steps, List<StageDraft> stages, StepDraft step, List<InputDraft> inputs)
        {
            var forEach = step.ForEach!;
            var sourceLocation = forEach.Attribute.ArgumentLocation(null, 0, _cancellationToken);
            foreach (var parameter in step.Method.Parameters)
            {
                if (!parameter.Type.Is(CancellationTokenName) && !parameter.Type.Is(KnownTypeNames.StepContext))
                {
                    forEach.ItemParameter = parameter;
                    break;
                }
            }

            if (forEach.ItemParameter is null)
            {
                Report(DiagnosticIds.InvalidForEachSource, step.Method.NameLocation(), step.Method.Name, "it has no parameter to receive the item: its first parameter receives each item of the source");
                return;
            }

            if (forEach.ItemParameter.Type.ContainsDynamic())
            {
                Report(DiagnosticIds.InvalidForEachSource, forEach.ItemParameter.NameLocation(), step.Method.Name, $"its item parameter '{forEach.ItemParameter.Name}' is of type '{forEach.ItemParameter.Type.ToDisplayString()}', and generated code cannot use 'dynamic' as a type argument; use 'object' instead");
                return;
            }

            if (forEach.SourceName.Length == 0)
            {
                return;
            }

            var producerIndex = FindStep(steps, forEach.SourceName);
            if (producerIndex >= 0)
            {
                var producer = steps[producerIndex];
                forEach.SourceKind = ArgumentKind.StepOutput;
                forEach.Source = producerIndex;
                if (producer == step)
                {
                    Report(DiagnosticIds.StepOrder, sourceLocation, step.Method.Name, forEach.SourceName, "a foreach cannot read its own output");
                    return;
                }

                if (stages[producer.Stage].FailurePolicy == GroupFailure.FirstSuccess && stages[producer.Stage].Group is { } firstSuccess)
                {
                    Report(DiagnosticIds.InvalidForEachSource, sourceLocation, producer.Method.NameLocation(), step.Method.Name, $"its source, step '{producer.Method.Name}', is a member of FirstSuccess group '{firstSuccess}', whose one value is named '{firstSuccess}'; run over \"{firstSuccess}\" instead");
                    return;
                }

                CheckOrder(step, producer, sourceLocation, forEach.SourceName);
                if (producer.OutputType is null)
                {
                    if (producer.ReturnKind != ReturnKind.Value)
                    {
                        Report(DiagnosticIds.InvalidForEachSource, sourceLocation, producer.Method.NameLocation(), step.Method.Name, $"its source, step '{producer.Method.Name}', produces no value");
                    }

                    return;
                }

                CheckSourceItems(step, producer.OutputType, sourceLocation);
                return;
            }

            var groupIndex = FindFirstSuccessGroup(stages, forEach.SourceName);
            if (groupIndex >= 0)
            {
                // The value of a first-success group.
                var group = stages[groupIndex];
                forEach.SourceKind = ArgumentKind.GroupOutput;
                forEach.Source = groupIndex;
                if (step.Stage == groupIndex)
                {
                    Report(DiagnosticIds.DependentParallelSteps, sourceLocation, step.Method.Name, group.Group!, group.Group!);
                    return;
                }

                CheckOrder(step, steps[group.Steps[0]], sourceLocation, forEach.SourceName);
                foreach (var member in group.Steps)
                {
                    step.Dependencies.Add(member);
                }

                if (group.OutputType is { } groupValue)
                {
                    CheckSourceItems(step, groupValue, sourceLocation);
                }

                return;
            }

            foreach (var member in _type.GetMembers(forEach.SourceName))
            {
                // Members Flows generates (MermaidDiagram) are not there when the generator parses: the analyzers,
                // which see them, must come to the same answer.
                if (!member.IsImplicitlyDeclared && !IsGenerated(member))
                {
                    Report(DiagnosticIds.InvalidForEachSource, sourceLocation, member.NameLocation(), step.Method.Name, $"its source '{forEach.SourceName}' is a member of '{_type.Name}' but not a step; mark it [Step] or name a workflow input");
                    return;
                }
            }

            // A workflow input: its name becomes a parameter of RunAsync, so it must be one.
            if (!Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(forEach.SourceName))
            {
                Report(DiagnosticIds.InvalidForEachSource, sourceLocation, step.Method.Name, $"its source '{forEach.SourceName}' is not a step, and as a workflow input it would need a name that is a C# identifier");
                return;
            }

            forEach.SourceKind = ArgumentKind.Input;
            for (var i = 0; i < inputs.Count; i++)
            {
                if (string.Equals(inputs[i].Name, forEach.SourceName, StringComparison.OrdinalIgnoreCase))
                {
                    forEach.Source = i;
                    inputs[i].ForEachConsumers.Add(step);
                    if (!inputs[i].OnlyForEachSource)
                    {
                        CheckSourceItems(step, inputs[i].Type, sourceLocation);
                    }
                    else if (!SymbolEqualityComparer.Default.Equals(inputs[i].Type, ListOf(forEach.ItemParameter.Type)))
                    {
                        CheckSourceItems(step, inputs[i].Type, sourceLocation);
                    }

                    return;
                }
            }

            var input = new InputDraft(forEach.SourceName, ListOf(forEach.ItemParameter.Type), sourceLocation, step.Method.Name) { OnlyForEachSource = true };
            input.ForEachConsumers.Add(step);
            inputs.Add(input);
            forEach.Source = inputs.Count - 1;
            forEach.Shape = SourceShape.List;
        }

        private ITypeSymbol ListOf(ITypeSymbol item) =>
            _compilation!.GetSpecialType(SpecialType.System_Collections_Generic_IReadOnlyList_T).Construct(item);

        private void CheckSourceItems(StepDraft step, ITypeSymbol sourceType, Location location)
        {
            var forEach = step.ForEach!;
            var item = forEach.ItemParameter!;
            if (sourceType.ContainsErrorType() || item.Type.ContainsErrorType())
            {
                CannotGenerate(DiagnosticIds.InvalidForEachSource, location, step.Method.Name, "the type of its source or of its item parameter does not resolve, so RunAsync is not generated until it does");
                return;
            }

            if (sourceType.IsReferenceType && sourceType.NullableAnnotation == NullableAnnotation.Annotated)
            {
                Report(DiagnosticIds.InvalidForEachSource, location, step.Method.Name, $"its source '{forEach.SourceName}' may be null ('{sourceType.ToDisplayString()}'); make it non-nullable");
                return;
            }

            if (!TryGetElementType(sourceType, out var element, out var shape))
            {
                Report(DiagnosticIds.InvalidForEachSource, location, step.Method.Name, $"its source '{forEach.SourceName}' is a '{sourceType.ToDisplayString()}', which is not an array, IEnumerable<T> or IAsyncEnumerable<T>");
                return;
            }

            forEach.Shape = shape;
            if (element.ContainsDynamic())
            {
                Report(DiagnosticIds.InvalidForEachSource, location, step.Method.Name, $"the items of '{forEach.SourceName}' are '{element.ToDisplayString()}', and generated code cannot use 'dynamic' as a type argument; use 'object' instead");
                return;
            }

            if (!Accepts(item.Type, element))
            {
                Report(DiagnosticIds.InvalidForEachSource, item.NameLocation(), step.Method.Name, $"the items of '{forEach.SourceName}' are '{element.ToDisplayString()}', which its first parameter '{item.Name}' of type '{item.Type.ToDisplayString()}' cannot take");
                return;
            }

            forEach.ItemType = CarriedItemType(item.Type, element);
        }

        // The type generated code carries the items in. Like a step's output, an item keeps the nullability the source
        // gave it and converts to the item parameter only where the step is called, as the user's own call would: a
        // 'string?[]' source feeds a 'string' parameter declared where annotations are off with no warning in the
        // generated file (CS8620).
        private ITypeSymbol CarriedItemType(ITypeSymbol parameter, ITypeSymbol element)
        {
            if (_compilation!.ClassifyConversion(element, parameter).IsIdentity)
            {
                return element;
            }

            return element.IsReferenceType && element.NullableAnnotation == NullableAnnotation.Annotated && parameter.NullableAnnotation == NullableAnnotation.None
                ? parameter.WithNullableAnnotation(NullableAnnotation.Annotated)
                : parameter;
        }

        private static bool TryGetElementType(ITypeSymbol type, out ITypeSymbol element, out SourceShape shape)
        {
            if (type is IArrayTypeSymbol { Rank: 1 } array)
            {
                element = array.ElementType;
                shape = SourceShape.Array;
                return true;
            }

            ITypeSymbol? list = null;
            ITypeSymbol? enumerable = null;
            ITypeSymbol? asyncEnumerable = null;
            var candidates = new List<INamedTypeSymbol>();
            if (type is INamedTypeSymbol self)
            {
                candidates.Add(self);
            }

            candidates.AddRange(type.AllInterfaces);
            foreach (var candidate in candidates)
            {
                if (candidate is not INamedTypeSymbol { IsGenericType: true } named || named.TypeArguments.Length != 1)
                {
                    continue;
                }

                var original = named.ConstructedFrom;
                if (original.Is(ReadOnlyListName))
                {
                    list ??= named.TypeArguments[0];
                }
                else if (original.Is(EnumerableName))
                {
                    enumerable ??= named.TypeArguments[0];
                }
                else if (original.Is(AsyncEnumerableName))
                {
                    asyncEnumerable ??= named.TypeArguments[0];
                }
            }

            (element, shape) = list is not null ? (list, SourceShape.List)
                : enumerable is not null ? (enumerable, SourceShape.Enumerable)
                : asyncEnumerable is not null ? (asyncEnumerable, SourceShape.AsyncEnumerable)
                : (null!, SourceShape.Enumerable);
            return element is not null;
        }

        // [After]: an ordering edge without data.
        private void BindAfter(StepDraft[] steps, StepDraft step)
        {
            foreach (var attribute in step.AfterAttributes)
            {
                var argument = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0] : default;
                var location = attribute.ArgumentLocation(null, 0, _cancellationToken);
                if (argument.Kind == TypedConstantKind.Error || attribute.ConstructorArguments.Length != 1)
                {
                    CannotGenerate(DiagnosticIds.InvalidOption, location, step.Method.Name, "After", "it needs the constant name of a step, such as nameof(Step)");
                    continue;
                }

                if (argument.Value is not string { Length: > 0 } name)
                {
                    Report(DiagnosticIds.InvalidOption, location, step.Method.Name, "After", "it names no step; write [After(nameof(Step))]");
                    continue;
                }

                var index = FindStep(steps, name);
                if (index < 0)
                {
                    Report(DiagnosticIds.InvalidOption, location, step.Method.Name, "After", $"'{name}' is not a step of workflow '{_type.Name}'");
                }
                else if (index == step.Index)
                {
                    Report(DiagnosticIds.StepOrder, location, step.Method.Name, name, "a step cannot run after itself");
                }
                else
                {
                    step.After.Add(index);
                    CheckOrder(step, steps[index], location, name);
                }
            }
        }

        // FLOW006 under Dataflow scheduling: the steps must form an acyclic graph. Groups start together, so
        // the graph is drawn between stages.
        private void CheckCycles(StepDraft[] steps, List<StageDraft> stages)
        {
            var state = new int[stages.Count]; // 0 unvisited, 1 on the path, 2 done
            var path = new List<int>();
            for (var i = 0; i < stages.Count; i++)
            {
                if (state[i] == 0 && Visit(i))
                {
                    return;
                }
            }

            bool Visit(int stage)
            {
                state[stage] = 1;
                path.Add(stage);
                foreach (var member in stages[stage].Steps)
                {
                    foreach (var dependency in steps[member].Dependencies)
                    {
                        var target = steps[dependency].Stage;
                        if (target == stage)
                        {
                            continue; // FLOW001 already.
                        }

                        if (state[target] == 1)
                        {
                            // path[start] waits for path[start + 1], …, and the last one waits for path[start] again.
                            var start = path.IndexOf(target);
                            var cycle = path.Skip(start).Append(target).Select(s => Describe(stages[s], steps)).ToArray();
                            var first = steps[stages[target].Steps[0]];
                            Report(
                                DiagnosticIds.StepOrder,
                                first.Method.NameLocation(),
                                first.Method.Name,
                                cycle[1],
                                "the steps wait for each other in a cycle: " + string.Join(" → ", cycle));
                            return true;
                        }

                        if (state[target] == 0 && Visit(target))
                        {
                            return true;
                        }
                    }
                }

                path.RemoveAt(path.Count - 1);
                state[stage] = 2;
                return false;
            }
        }

        private static string Describe(StageDraft stage, StepDraft[] steps) =>
            stage.Group ?? steps[stage.Steps[0]].Method.Name;
    }
}
