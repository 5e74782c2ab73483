using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.Generator.Parsing;

internal static class SymbolExtensions
{
    /// <summary>Global-qualified, with nullable annotations: how types travel in the model.</summary>
    public static readonly SymbolDisplayFormat FullyQualified = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>
    /// The type as the generated code writes it. The display format escapes reserved keywords only; a name spelled
    /// <c>await</c> (a type, a namespace, a tuple element) also needs <c>@</c>, since every generated method is async
    /// (CS4003).
    /// </summary>
    public static string ToFullyQualified(this ITypeSymbol type)
    {
        var parts = type.ToDisplayParts(FullyQualified);
        var escape = false;
        foreach (var part in parts)
        {
            if (IsNamePart(part) && part.ToString() == "await")
            {
                escape = true;
                break;
            }
        }

        if (!escape)
        {
            return parts.ToDisplayString();
        }

        var builder = new System.Text.StringBuilder();
        foreach (var part in parts)
        {
            var text = part.ToString();
            builder.Append(IsNamePart(part) && text == "await" ? "@await" : text);
        }

        return builder.ToString();
    }

    private static bool IsNamePart(SymbolDisplayPart part) =>
        part.Kind is not (SymbolDisplayPartKind.Keyword or SymbolDisplayPartKind.Punctuation or SymbolDisplayPartKind.Space or SymbolDisplayPartKind.Operator);

    /// <summary>
    /// Whether <paramref name="symbol"/> is the type with <paramref name="metadataName"/> (for example
    /// <c>System.Threading.Tasks.Task`1</c>), compared without allocating.
    /// </summary>
    public static bool Is(this ITypeSymbol? symbol, string metadataName)
    {
        if (symbol is not INamedTypeSymbol named)
        {
            return false;
        }

        var dot = metadataName.LastIndexOf('.');
        if (string.CompareOrdinal(named.MetadataName, 0, metadataName, dot + 1, metadataName.Length - dot - 1) != 0
            || named.MetadataName.Length != metadataName.Length - dot - 1
            || named.ContainingType is not null)
        {
            return false;
        }

        var end = dot;
        for (var ns = named.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            if (end <= 0)
            {
                return false;
            }

            var start = metadataName.LastIndexOf('.', end - 1) + 1;
            var length = end - start;
            if (ns.Name.Length != length || string.CompareOrdinal(ns.Name, 0, metadataName, start, length) != 0)
            {
                return false;
            }

            end = start - 1;
        }

        return end == -1;
    }

    public static AttributeData? FindAttribute(this ISymbol symbol, string metadataName)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass.Is(metadataName))
            {
                return attribute;
            }
        }

        return null;
    }

    public static bool IsPartial(this INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                && declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The location of a symbol's name, where diagnostics about it go.</summary>
    /// <summary>Whether <paramref name="type"/> or a type it is built from (type arguments, element and pointed-at types) is <c>dynamic</c>.</summary>
    public static bool ContainsDynamic(this ITypeSymbol type) => type.AnyPart(static part => part.TypeKind == TypeKind.Dynamic);

    /// <summary>Whether <paramref name="type"/> or a type it is built from does not resolve.</summary>
    public static bool ContainsErrorType(this ITypeSymbol type) => type.AnyPart(static part => part.TypeKind == TypeKind.Error);

    /// <summary>Whether <paramref name="predicate"/> holds for <paramref name="type"/> or any type it is built from.</summary>
    public static bool AnyPart(this ITypeSymbol type, Func<ITypeSymbol, bool> predicate)
    {
        // Deep nesting is legal (List<List<...>>): walk with a stack, not recursion.
        var pending = new Stack<ITypeSymbol>();
        pending.Push(type);
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (predicate(part))
            {
                return true;
            }

            switch (part)
            {
                case IArrayTypeSymbol array:
                    pending.Push(array.ElementType);
                    break;
                case IPointerTypeSymbol pointer:
                    pending.Push(pointer.PointedAtType);
                    break;
                case INamedTypeSymbol named:
                    foreach (var argument in named.TypeArguments)
                    {
                        pending.Push(argument);
                    }

                    for (var containing = named.ContainingType; containing is not null; containing = containing.ContainingType)
                    {
                        foreach (var argument in containing.TypeArguments)
                        {
                            pending.Push(argument);
                        }
                    }

                    break;
            }
        }

        return false;
    }

    public static Location NameLocation(this ISymbol symbol) =>
        symbol.Locations.Length > 0 ? symbol.Locations[0] : Location.None;

    /// <summary>The location of the attribute argument named <paramref name="name"/> (or at <paramref name="position"/>), else the attribute.</summary>
    public static Location ArgumentLocation(this AttributeData attribute, string? name, int position, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
        {
            return Location.None;
        }

        if (syntax.ArgumentList is { } list)
        {
            var positional = 0;
            foreach (var argument in list.Arguments)
            {
                if (argument.NameEquals is { } nameEquals)
                {
                    if (name is not null && nameEquals.Name.Identifier.ValueText == name)
                    {
                        return argument.GetLocation();
                    }
                }
                else if (argument.NameColon is null && positional++ == position && name is null)
                {
                    return argument.GetLocation();
                }
            }
        }

        return syntax.GetLocation();
    }

    public static bool TryGetNamedArgument(this AttributeData attribute, string name, out TypedConstant value)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name)
            {
                value = pair.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
