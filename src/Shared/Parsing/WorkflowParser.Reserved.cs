using Flows.Analyzers;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.Generator.Parsing;

internal static partial class WorkflowParser
{
    /// <summary>Names the generated code declares, locals and members alike, start with this; user code may not.</summary>
    public const string ReservedPrefix = "__";

    private sealed partial class Parser
    {
        // FLOW008: what the generator adds to the class must not meet a user member of the same name, or the
        // generated file, not the user's code, would hold the compiler's error.
        private void CheckReservedNames(StepDraft[] steps, List<InputDraft> inputs)
        {
            foreach (var member in _type.GetMembers())
            {
                if (member.IsImplicitlyDeclared || IsGenerated(member))
                {
                    continue;
                }

                var name = member.Name;
                if (name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
                {
                    Report(DiagnosticIds.InvalidStepSignature, member.NameLocation(), name, $"names starting with '{ReservedPrefix}' are reserved for the code Flows generates into workflow '{_type.Name}'; rename this member");
                }
                else if (name is "RunAsync" or "MermaidDiagram")
                {
                    Report(DiagnosticIds.InvalidStepSignature, member.NameLocation(), name, $"'{name}' is a member Flows generates; rename this member");
                }
                else if (name is "OnStepStarting" or "OnStepCompleted" or "OnStepFailed" && !IsHookImplementation(member))
                {
                    Report(DiagnosticIds.InvalidStepSignature, member.NameLocation(), name, $"'{name}' is a hook Flows declares; implement it as '{HookSignature(name)} {{ … }}' or rename this member");
                }
            }

            // A generated member that meets an inherited one of the same name would hide it (CS0108, CS0114) in the
            // generated file.
            for (var baseType = _type.BaseType; baseType is not null && baseType.SpecialType != SpecialType.System_Object; baseType = baseType.BaseType)
            {
                foreach (var member in baseType.GetMembers())
                {
                    if (member.DeclaredAccessibility != Accessibility.Private && !member.IsImplicitlyDeclared
                        && (member.Name is "RunAsync" or "MermaidDiagram" || member.Name.StartsWith(ReservedPrefix, StringComparison.Ordinal)))
                    {
                        Report(DiagnosticIds.InvalidStepSignature, _type.NameLocation(), _type.Name, $"it inherits '{member.Name}' from '{baseType.Name}', and Flows generates a member of that name into the workflow; rename the inherited member or do not derive from '{baseType.Name}'");
                    }
                }
            }

            // A member may not be named like its type, so the workflow may not be named like a member Flows adds to it.
            if (IsGeneratedMemberName(_type.Name))
            {
                Report(DiagnosticIds.InvalidStepSignature, _type.NameLocation(), _type.Name, $"a workflow cannot be named '{_type.Name}', a member Flows generates into it; rename the workflow");
            }

            // The generated code declares its locals with 'var'; a type named 'var' that the generated file can see (in
            // the workflow's namespace or one around it, or nested in the workflow or a type around it) would become
            // their type.
            foreach (var symbol in _compilation!.GetSymbolsWithName("var", SymbolFilter.Type, _cancellationToken))
            {
                if (symbol is INamedTypeSymbol varType && VisibleFromGeneratedFile(varType))
                {
                    Report(DiagnosticIds.InvalidStepSignature, _type.NameLocation(), _type.Name, $"a type named 'var' ({varType.ToDisplayString()}) is in scope where Flows generates the workflow's code, and would change what its locals are; rename that type");
                    break;
                }
            }

            foreach (var type in _type.TypeParameters)
            {
                if (type.Name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
                {
                    Report(DiagnosticIds.InvalidStepSignature, type.NameLocation(), type.Name, $"names starting with '{ReservedPrefix}' are reserved for the code Flows generates; rename this type parameter");
                }
                else if (IsGeneratedMemberName(type.Name))
                {
                    // A member may not be named like a type parameter of its type (CS0102).
                    Report(DiagnosticIds.InvalidStepSignature, type.NameLocation(), type.Name, $"'{type.Name}' is a member Flows generates into the workflow, which cannot also have a type parameter of that name; rename this type parameter");
                }
            }

            foreach (var input in inputs)
            {
                if (input.Name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
                {
                    Report(DiagnosticIds.InvalidStepSignature, input.FirstLocation, input.FirstStep, $"'{input.Name}' would become a RunAsync parameter, and names starting with '{ReservedPrefix}' are reserved for the code Flows generates; rename it");
                }
                else if (input.Name is "OnStepStarting" or "OnStepCompleted" or "OnStepFailed")
                {
                    // The generated run calls the hooks by name, and a RunAsync parameter of that name would hide them.
                    Report(DiagnosticIds.InvalidStepSignature, input.FirstLocation, input.FirstStep, $"'{input.Name}' would become a RunAsync parameter that hides the hook of that name; rename it");
                }
            }

            // The other parameters are named too, in the generated wrappers that call the step beside generated locals.
            foreach (var step in steps)
            {
                foreach (var argument in step.Arguments)
                {
                    if (argument.Kind != ArgumentKind.Input && argument.Parameter.Name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
                    {
                        Report(DiagnosticIds.InvalidStepSignature, argument.Parameter.NameLocation(), step.Method.Name, $"parameter '{argument.Parameter.Name}': names starting with '{ReservedPrefix}' are reserved for the code Flows generates; rename it");
                    }
                }
            }
        }

        private bool VisibleFromGeneratedFile(INamedTypeSymbol type)
        {
            if (type.ContainingType is { } container)
            {
                return IsWithin(_type, container);
            }

            for (var ns = _type.ContainingNamespace; ns is not null; ns = ns.ContainingNamespace)
            {
                if (SymbolEqualityComparer.Default.Equals(ns, type.ContainingNamespace))
                {
                    return true;
                }
            }

            return false;
        }

        private string HookSignature(string hook)
        {
            var prefix = _type.IsStatic ? "static partial void " : "partial void ";
            return hook switch
            {
                "OnStepStarting" => prefix + "OnStepStarting(in StepContext context)",
                "OnStepCompleted" => prefix + "OnStepCompleted(in StepContext context, TimeSpan elapsed)",
                _ => prefix + "OnStepFailed(in StepContext context, Exception exception)",
            };
        }

        // A hook is implemented by a partial method with a body, the generated definition's exact signature and no
        // access modifier (the generated definition has none).
        private bool IsHookImplementation(ISymbol member)
        {
            if (member is not IMethodSymbol { ReturnsVoid: true, IsGenericMethod: false } method || method.IsStatic != _type.IsStatic)
            {
                return false;
            }

            var second = member.Name switch
            {
                "OnStepCompleted" => "System.TimeSpan",
                "OnStepFailed" => ExceptionName,
                _ => null,
            };
            var parameters = method.Parameters;
            if (parameters.Length != (second is null ? 1 : 2)
                || parameters[0].RefKind != RefKind.In
                || !parameters[0].Type.Is(KnownTypeNames.StepContext)
                || second is not null && (parameters[1].RefKind != RefKind.None || !parameters[1].Type.Is(second)))
            {
                return false;
            }

            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(_cancellationToken) is not MethodDeclarationSyntax declaration
                    || declaration.Body is null && declaration.ExpressionBody is null)
                {
                    return false;
                }

                var partial = false;
                foreach (var modifier in declaration.Modifiers)
                {
                    switch (modifier.Kind())
                    {
                        case SyntaxKind.PartialKeyword:
                            partial = true;
                            break;
                        case SyntaxKind.PublicKeyword or SyntaxKind.PrivateKeyword or SyntaxKind.ProtectedKeyword or SyntaxKind.InternalKeyword
                            or SyntaxKind.VirtualKeyword or SyntaxKind.OverrideKeyword or SyntaxKind.ExternKeyword or SyntaxKind.NewKeyword or SyntaxKind.SealedKeyword:
                            return false;
                    }
                }

                if (!partial)
                {
                    return false;
                }
            }

            return true;
        }

        // RunAsync is public: a result or input type its callers cannot see would break the generated file (CS0050,
        // CS0051). Flows does not silently narrow RunAsync; it says which type to make more accessible.
        private void CheckRunAsyncAccessibility(StepDraft[] steps, List<StageDraft> stages, List<InputDraft> inputs)
        {
            if (steps.Length == 0 || stages.Count == 0)
            {
                return;
            }

            var results = IsDataflow
                ? new[] { steps[steps.Length - 1] }
                : stages[stages.Count - 1].Steps.Select(index => steps[index]);
            foreach (var step in results)
            {
                var type = step.OutputType ?? step.ValueType;
                if (type is not null && !type.ContainsErrorType() && LessAccessiblePart(type) is { } hidden)
                {
                    Report(DiagnosticIds.InvalidStepSignature, step.Method.NameLocation(), step.Method.Name, $"its value is the result of the public RunAsync of '{_type.Name}', but '{hidden.ToDisplayString()}' is less accessible than '{_type.Name}'; make it {AccessibilityNeeded()}");
                }
            }

            foreach (var input in inputs)
            {
                if (!input.Type.ContainsErrorType() && LessAccessiblePart(input.Type) is { } hidden)
                {
                    Report(DiagnosticIds.UnboundParameter, input.FirstLocation, input.FirstStep, input.Name, $"it becomes a parameter of the public RunAsync of '{_type.Name}', but '{hidden.ToDisplayString()}' is less accessible than '{_type.Name}'; make it {AccessibilityNeeded()}");
                }
            }
        }

        private string AccessibilityNeeded() => RestrictedToAssembly(_type) ? "internal or public" : "public";

        /// <summary>The first type in <paramref name="type"/> that code able to call RunAsync may not see, if any.</summary>
        private INamedTypeSymbol? LessAccessiblePart(ITypeSymbol type)
        {
            INamedTypeSymbol? found = null;
            type.AnyPart(part =>
            {
                if (part is not INamedTypeSymbol named)
                {
                    return false;
                }

                for (var declared = named; declared is not null; declared = declared.ContainingType)
                {
                    if (!VisibleWherever(declared))
                    {
                        found = declared;
                        return true;
                    }
                }

                return false;
            });
            return found;
        }

        // Whether every place the workflow's public members can be used from can also see 'declared' (the
        // accessibility domain of RunAsync lies inside that of the type).
        private bool VisibleWherever(INamedTypeSymbol declared)
        {
            switch (declared.DeclaredAccessibility)
            {
                case Accessibility.Public:
                case Accessibility.NotApplicable:
                    return true;
                case Accessibility.Internal:
                case Accessibility.ProtectedOrInternal:
                    return RestrictedToAssembly(_type) || InsideNonPublicMemberOf(declared.ContainingType, declared.DeclaredAccessibility);
                default:
                    return InsideNonPublicMemberOf(declared.ContainingType, declared.DeclaredAccessibility);
            }
        }

        private static bool RestrictedToAssembly(INamedTypeSymbol type)
        {
            for (var declared = type; declared is not null; declared = declared.ContainingType)
            {
                if (declared.DeclaredAccessibility is Accessibility.Internal or Accessibility.Private or Accessibility.ProtectedAndInternal)
                {
                    return true;
                }
            }

            return false;
        }

        // Whether the workflow is nested, somewhere below 'container', in a type whose own accessibility keeps it
        // inside 'container' (private) or inside it and its derived types (protected), as 'accessibility' needs.
        private bool InsideNonPublicMemberOf(INamedTypeSymbol? container, Accessibility accessibility)
        {
            if (container is null)
            {
                return false;
            }

            for (var declared = _type; declared.ContainingType is { } outer; declared = outer)
            {
                var allowed = declared.DeclaredAccessibility == Accessibility.Private
                    || accessibility is Accessibility.Protected or Accessibility.ProtectedOrInternal && declared.DeclaredAccessibility is Accessibility.Protected or Accessibility.ProtectedAndInternal;
                if (allowed && IsWithin(outer, container))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsWithin(INamedTypeSymbol type, INamedTypeSymbol container)
        {
            for (var current = type; current is not null; current = current.ContainingType)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, container.OriginalDefinition))
                {
                    return true;
                }
            }

            return false;
        }

        // The members Flows writes into every workflow: no type member, type parameter or the type itself may take their names.
        private static bool IsGeneratedMemberName(string name) =>
            name is "RunAsync" or "MermaidDiagram" or "OnStepStarting" or "OnStepCompleted" or "OnStepFailed";
    }
}
