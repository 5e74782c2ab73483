using System.Collections.Immutable;
using System.Text;
using Flows.Analyzers;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;

// [Workflow(Durable = true)]: FLOW016 (no Flows.DurableTask), FLOW015 (what cannot run durably) and the durable model.
// A durable error leaves the in-process RunAsync generated: only the Durable class waits for the fix.
namespace Flows.Generator.Parsing;

internal static partial class WorkflowParser
{
    private sealed partial class Parser
    {
        // A type of the Flows.DurableTask runtime (not of Flows.Abstractions): its presence says the project references the
        // package (FLOW016).
        private const string DurableRuntimeType = "Flows.DurableTask.Internal.DurableStep";

        private Location? _durableLocation;

        private static bool IsDurableProblem(string id) => id is DiagnosticIds.NotDurable or DiagnosticIds.DurableTaskNotReferenced;

        private void ReadDurableOption(AttributeData attribute)
        {
            if (attribute.TryGetNamedArgument("Durable", out var durable) && durable.Value is true)
            {
                _durableLocation = attribute.ArgumentLocation("Durable", -1, _cancellationToken);
            }
        }

        /// <summary>The durable model, or null when the workflow is not durable or cannot be (the problems say why).</summary>
        private DurableModel? CheckDurable(StepDraft[] steps, List<InputDraft> inputs)
        {
            if (_durableLocation is null || _compilation is null)
            {
                return null;
            }

            var reported = _problems.Count;
            if (_compilation.GetTypeByMetadataName(DurableRuntimeType) is null)
            {
                Report(DiagnosticIds.DurableTaskNotReferenced, _durableLocation, _type.Name);
            }

            for (var type = _type; type is not null; type = type.ContainingType)
            {
                if (type.TypeParameters.Length > 0)
                {
                    NotDurable(_type.NameLocation(), $"'{type.Name}' is generic, and an orchestration has one name on the task hub");
                    break;
                }
            }

            // The generated class is named Durable: nothing of the user's may have that name in the class.
            if (_type.Name == "Durable")
            {
                NotDurable(_type.NameLocation(), "the class is named Durable, the name of the nested class Flows generates into it; rename the class");
            }

            foreach (var member in _type.GetMembers("Durable"))
            {
                if (!IsGenerated(member))
                {
                    NotDurable(member.NameLocation(), $"'{_type.Name}' already has a member named Durable, the name of the nested class Flows generates into it; rename the member");
                    break;
                }
            }

            var constructor = DurableConstructor();
            foreach (var input in inputs)
            {
                CheckWireType(input.Type, input.FirstLocation, $"input '{input.Name}'", "an Outcome, which crosses only as a step's output, not as a workflow input");
            }

            foreach (var step in steps)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (step.ForEach is { Shape: SourceShape.AsyncEnumerable })
                {
                    NotDurable(step.ForEach.Attribute.ArgumentLocation(null, 0, _cancellationToken), $"the source of foreach step '{step.Method.Name}' is an IAsyncEnumerable, a stream an activity cannot hand to the orchestration item by item; produce a list instead");
                }
                else if (step.ForEach?.ItemType is { } item)
                {
                    // An item crosses as it is (the durable code converts outcomes only as step outputs).
                    CheckWireType(item, step.ForEach.ItemParameter?.NameLocation() ?? step.Method.NameLocation(), $"the item of foreach step '{step.Method.Name}'", "an Outcome, which crosses only as a step's output, not as a foreach item");
                }

                // What the activity returns, as the step returned it: an Outcome there is the step's own, not one Flows made.
                var valueReported = step.ValueType is { } value
                    && CheckWireType(value, step.Method.NameLocation(), $"the value of step '{step.Method.Name}'", "an Outcome the step makes itself (return the value or throw, and mark the step [Step(ContinueOnError = true)])");

                // What consumers and the result receive: the value, wrapped in Outcome or a list where the step may fail or
                // is a foreach. Reported only when the value was not: one cause, one diagnostic.
                if (!valueReported && step.OutputType is { } output && !SymbolEqualityComparer.Default.Equals(output, step.ValueType))
                {
                    CheckWireType(output, step.Method.NameLocation(), $"the output of step '{step.Method.Name}'");
                }
            }

            if (_problems.Count > reported || constructor is null)
            {
                return null;
            }

            return new DurableModel(OrchestrationName(), constructor.Value);
        }

        private void NotDurable(Location location, string reason) => Report(DiagnosticIds.NotDurable, location, _type.Name, reason);

        /// <summary><c>Flows.&lt;Namespace&gt;.&lt;Outer&gt;.&lt;Type&gt;</c>.</summary>
        private string OrchestrationName()
        {
            var name = new StringBuilder("Flows.");
            if (_type.ContainingNamespace is { IsGlobalNamespace: false } ns)
            {
                name.Append(ns.ToDisplayString()).Append('.');
            }

            var types = new List<string>();
            for (var type = _type; type is not null; type = type.ContainingType)
            {
                types.Insert(0, type.Name);
            }

            return name.Append(string.Join(".", types)).ToString();
        }

        // How an activity creates the workflow: the accessible constructor with the most parameters, each resolved from the
        // worker's services (as a DI container would choose). Null when there is none it can call (reported).
        private EquatableArray<string>? DurableConstructor()
        {
            if (_type.IsStatic)
            {
                return EquatableArray<string>.Empty;
            }

            if (_type.IsAbstract)
            {
                NotDurable(_type.NameLocation(), $"'{_type.Name}' is abstract, and each activity creates the workflow to run its step");
                return null;
            }

            IMethodSymbol? chosen = null;
            var ambiguous = false;
            foreach (var constructor in _type.InstanceConstructors)
            {
                if (constructor.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
                {
                    continue;
                }

                if (chosen is null || constructor.Parameters.Length > chosen.Parameters.Length)
                {
                    chosen = constructor;
                    ambiguous = false;
                }
                else if (constructor.Parameters.Length == chosen.Parameters.Length)
                {
                    ambiguous = true;
                }
            }

            if (chosen is null)
            {
                NotDurable(_type.NameLocation(), $"'{_type.Name}' has no public or internal constructor, and each activity creates the workflow to run its step");
                return null;
            }

            if (ambiguous)
            {
                NotDurable(_type.NameLocation(), $"'{_type.Name}' has several constructors with {chosen.Parameters.Length} parameters, and an activity cannot tell which one to call; keep one with the most parameters");
                return null;
            }

            var parameters = ImmutableArray.CreateBuilder<string>(chosen.Parameters.Length);
            foreach (var parameter in chosen.Parameters)
            {
                if (parameter.RefKind != RefKind.None || parameter.Type.IsRefLikeType || parameter.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
                {
                    NotDurable(parameter.NameLocation(), $"constructor parameter '{parameter.Name}' cannot be resolved from the worker's services");
                    return null;
                }

                // A value is not a service: no container supplies an int or a string by its type.
                if (parameter.Type.IsValueType || parameter.Type.SpecialType == SpecialType.System_String)
                {
                    NotDurable(parameter.NameLocation(), $"constructor parameter '{parameter.Name}' ({parameter.Type.ToDisplayString()}) is a value, not a service the worker's container can supply; make it a step parameter (a workflow input) or put it in a class registered as a service");
                    return null;
                }

                if (parameter.Type.ContainsErrorType())
                {
                    return null;
                }

                parameters.Add(parameter.Type.ToFullyQualified());
            }

            return parameters.MoveToImmutable().ToEquatableArray();
        }

        // FLOW015 for a value that crosses the wire: an activity's input or output, the orchestration's input or result.
        // With ownOutcome, the value crosses as it is, so an Outcome of its own is the reason given; true when reported.
        private bool CheckWireType(ITypeSymbol type, Location location, string what, string? ownOutcome = null)
        {
            if (type.ContainsErrorType())
            {
                return false;
            }

            var reason = ownOutcome is not null && IsOutcome(type, out _) ? ownOutcome : NotOnTheWire(type, convertsOutcomes: ownOutcome is null);
            if (reason is null)
            {
                return false;
            }

            NotDurable(location, $"{what} ({type.ToDisplayString()}) is {reason}, which cannot cross the wire between orchestration and activities");
            return true;
        }

        // Outcome<T> crosses in the shapes Flows produces (the durable code converts them): Outcome<X>, a list of them, and
        // an outcome of such a list; X itself holds no Outcome.
        private string? NotOnTheWire(ITypeSymbol type, bool convertsOutcomes)
        {
            var inner = type;
            if (convertsOutcomes && IsOutcome(inner, out var value))
            {
                inner = value;
            }

            if (convertsOutcomes && IsOutcomeList(inner, out var item))
            {
                inner = item;
            }

            return HeldNotOnTheWire(inner);
        }

        private static bool IsOutcome(ITypeSymbol type, out ITypeSymbol value)
        {
            if (type is INamedTypeSymbol { TypeArguments.Length: 1 } named && named.OriginalDefinition.Is(KnownTypeNames.Outcome))
            {
                value = named.TypeArguments[0];
                return true;
            }

            value = type;
            return false;
        }

        private static bool IsOutcomeList(ITypeSymbol type, out ITypeSymbol item)
        {
            if (type is INamedTypeSymbol { TypeArguments.Length: 1, NullableAnnotation: not NullableAnnotation.Annotated } named
                && named.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IReadOnlyList_T
                && IsOutcome(named.TypeArguments[0], out item))
            {
                return true;
            }

            item = type;
            return false;
        }

        private static string? PartNotOnTheWire(ITypeSymbol part)
        {
            if (part.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
            {
                return "a pointer";
            }

            if (part.IsRefLikeType)
            {
                return "a ref struct";
            }

            if (part.TypeKind == TypeKind.Delegate)
            {
                return "a delegate";
            }

            if (part.TypeKind == TypeKind.Dynamic || part.SpecialType == SpecialType.System_Object)
            {
                return "object, whose type the data converter cannot know when it reads it back";
            }

            if (part is not INamedTypeSymbol named)
            {
                return null;
            }

            var definition = named.OriginalDefinition;
            if (definition.Is("System.Threading.Tasks.Task") || definition.Is("System.Threading.Tasks.Task`1")
                || definition.Is("System.Threading.Tasks.ValueTask") || definition.Is("System.Threading.Tasks.ValueTask`1"))
            {
                return "a task";
            }

            if (definition.Is(KnownTypeNames.Outcome))
            {
                return "an Outcome inside another type (an Outcome crosses only as the output Flows makes for a step that may fail, or a list of them)";
            }

            if (definition.Is("System.Collections.Generic.IAsyncEnumerable`1") || named.AllInterfaces.Any(static i => i.OriginalDefinition.Is("System.Collections.Generic.IAsyncEnumerable`1")))
            {
                return "an asynchronous stream (IAsyncEnumerable)";
            }

            if (definition.Is("System.Threading.CancellationToken") || definition.Is("System.Threading.CancellationTokenSource") || InheritsFrom(named, "System.Threading.CancellationTokenSource"))
            {
                return "a cancellation token or its source";
            }

            if (InheritsFrom(named, "System.IO.Stream"))
            {
                return "a stream";
            }

            if (named.TypeKind == TypeKind.Interface && named.ContainingNamespace?.ToDisplayString() is not ("System.Collections.Generic" or "System.Collections"))
            {
                return "an interface, which the data converter cannot create when it reads the value back";
            }

            return named.IsAbstract && named.TypeKind == TypeKind.Class
                ? "an abstract class, which the data converter cannot create when it reads the value back"
                : null;
        }

        private static bool InheritsFrom(INamedTypeSymbol type, string metadataName)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (current.OriginalDefinition.Is(metadataName))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
