using Flows.Analyzers;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;

// Binding a [ParallelForEach] to its source: a step output or a workflow input whose items fit the first parameter (FLOW010).
namespace Flows.Generator.Parsing;

internal static partial class WorkflowParser
{
    private sealed partial class Parser
    {
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
    }
}
