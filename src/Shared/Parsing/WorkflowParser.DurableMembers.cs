using Microsoft.CodeAnalysis;

// FLOW015 looks inside the user's types too: a record that holds a stream, an exception or a tuple cannot cross the
// wire any more than the stream itself (System.Text.Json writes public properties; a tuple's elements are fields, so it
// would arrive empty, and silently).
namespace Flows.Generator.Parsing;

internal static partial class WorkflowParser
{
    private sealed partial class Parser
    {
        private const int MemberDepth = 4;

        /// <summary>Why a value of <paramref name="type"/> cannot cross the wire, looking through the public properties of the user's types; null when it can.</summary>
        private static string? HeldNotOnTheWire(ITypeSymbol type)
        {
            var visited = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
            return Walk(type, string.Empty, 0, visited);
        }

        private static string? Walk(ITypeSymbol type, string path, int depth, HashSet<ITypeSymbol> visited)
        {
            string? found = null;
            type.AnyPart(part =>
            {
                var reason = PartNotOnTheWire(part) ?? HeldPartNotOnTheWire(part);
                if (reason is not null)
                {
                    found = path.Length == 0 ? reason : $"held in {path.Substring(1)} ({part.ToDisplayString()}): {reason}";
                    return true;
                }

                if (depth < MemberDepth && part is INamedTypeSymbol named && IsUsersType(named) && visited.Add(named))
                {
                    foreach (var member in named.GetMembers())
                    {
                        if (member is IPropertySymbol { IsStatic: false, IsIndexer: false, DeclaredAccessibility: Accessibility.Public, GetMethod: not null } property
                            && Walk(property.Type, path + "." + property.Name, depth + 1, visited) is { } inner)
                        {
                            found = inner;
                            return true;
                        }
                    }
                }

                return false;
            });
            return found;
        }

        private static string? HeldPartNotOnTheWire(ITypeSymbol part)
        {
            if (part is INamedTypeSymbol { IsTupleType: true })
            {
                return "a tuple, whose elements are fields the data converter does not write (use a record)";
            }

            for (var current = part as INamedTypeSymbol; current is not null; current = current.BaseType)
            {
                if (current.OriginalDefinition.Is("System.Exception"))
                {
                    return "an exception object (keep its type name and message instead)";
                }
            }

            return null;
        }

        // Types of the framework are taken as the data converter takes them; the user's classes and structs are looked into.
        private static bool IsUsersType(INamedTypeSymbol type)
        {
            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || type.SpecialType != SpecialType.None)
            {
                return false;
            }

            var root = type.ContainingNamespace;
            while (root is { ContainingNamespace.IsGlobalNamespace: false })
            {
                root = root.ContainingNamespace;
            }

            return root is null || root.IsGlobalNamespace || root.Name is not ("System" or "Microsoft");
        }
    }
}
