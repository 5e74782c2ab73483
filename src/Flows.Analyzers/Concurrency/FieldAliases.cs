using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Flows.Analyzers.Concurrency;

/// <summary>
/// Fields and auto-properties of a workflow that hold the same object because the workflow put it there: one
/// assignment chained into another (<c>_x = _y = new List&lt;int&gt;()</c>), two members set from the same constructor
/// parameter, or one member set from another. Two steps that use the object through different names still share it.
/// </summary>
internal static class FieldAliases
{
    /// <summary>
    /// For every member that shares its object with another, the member that stands for the group (the first one
    /// declared). Members that hold an object of their own are not in the map.
    /// </summary>
    public static ImmutableDictionary<ISymbol, ISymbol> Of(INamedTypeSymbol type, SummaryCache cache, CancellationToken cancellationToken)
    {
        var parents = new Dictionary<ISymbol, ISymbol>(SymbolEqualityComparer.Default);

        foreach (var member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var reference in member.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax(cancellationToken);
                SyntaxNode? node = syntax switch
                {
                    ConstructorDeclarationSyntax constructor when !member.IsStatic => constructor,
                    VariableDeclaratorSyntax { Initializer: { } initializer } when member is IFieldSymbol { IsStatic: false } => initializer,
                    PropertyDeclarationSyntax { Initializer: { } initializer } when member is IPropertySymbol { IsStatic: false } => initializer,
                    _ => null,
                };
                if (node is null || cache.IsGenerated(node.SyntaxTree))
                {
                    continue;
                }

                var operation = cache.SemanticModelOf(node.SyntaxTree).GetOperation(node, cancellationToken);
                if (operation is null)
                {
                    continue;
                }

                switch (operation)
                {
                    case IFieldInitializerOperation fields:
                        foreach (var field in fields.InitializedFields)
                        {
                            Join(parents, field, Source(fields.Value, type));
                        }

                        break;
                    case IPropertyInitializerOperation properties:
                        foreach (var property in properties.InitializedProperties)
                        {
                            Join(parents, property, Source(properties.Value, type));
                        }

                        break;
                    default:
                        foreach (var descendant in operation.DescendantsAndSelf())
                        {
                            if (descendant is ISimpleAssignmentOperation assignment && Member(assignment.Target, type) is { } target)
                            {
                                Join(parents, target, Source(assignment.Value, type));
                            }
                        }

                        break;
                }
            }
        }

        if (parents.Count == 0)
        {
            return ImmutableDictionary<ISymbol, ISymbol>.Empty.WithComparers(SymbolEqualityComparer.Default);
        }

        // Each group is named by its first member in declaration order; parameters only connect members.
        var groups = new Dictionary<ISymbol, List<ISymbol>>(SymbolEqualityComparer.Default);
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol or IPropertySymbol && parents.ContainsKey(member))
            {
                var root = Find(parents, member);
                if (!groups.TryGetValue(root, out var list))
                {
                    groups.Add(root, list = new List<ISymbol>());
                }

                list.Add(member);
            }
        }

        var map = ImmutableDictionary.CreateBuilder<ISymbol, ISymbol>(SymbolEqualityComparer.Default);
        foreach (var members in groups.Values)
        {
            if (members.Count < 2)
            {
                continue;
            }

            foreach (var member in members)
            {
                map[member] = members[0];
            }
        }

        return map.ToImmutable();
    }

    /// <summary>What an assigned value is known to be the same object as: a member of this instance, or a parameter.</summary>
    private static ISymbol? Source(IOperation value, INamedTypeSymbol type)
    {
        while (value is IConversionOperation { Conversion.IsReference: true } or IConversionOperation { Conversion.IsIdentity: true })
        {
            value = ((IConversionOperation)value).Operand;
        }

        return value switch
        {
            ISimpleAssignmentOperation chained => Member(chained.Target, type),
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => Member(value, type),
        };
    }

    /// <summary>The field or auto-property of this instance that <paramref name="operation"/> names, if it names one.</summary>
    private static ISymbol? Member(IOperation operation, INamedTypeSymbol type)
    {
        var (symbol, instance) = operation switch
        {
            IFieldReferenceOperation field => ((ISymbol)field.Field, field.Instance),
            IPropertyReferenceOperation { Arguments.IsEmpty: true } property => (property.Property, property.Instance),
            _ => (null, null),
        };
        return symbol is { IsStatic: false } && instance is IInstanceReferenceOperation
            && SymbolEqualityComparer.Default.Equals(symbol.ContainingType.OriginalDefinition, type.OriginalDefinition)
            && symbol is IFieldSymbol or IPropertySymbol { IsVirtual: false, IsAbstract: false, IsOverride: false }
            ? symbol.OriginalDefinition
            : null;
    }

    private static void Join(Dictionary<ISymbol, ISymbol> parents, ISymbol member, ISymbol? source)
    {
        if (source is null || SymbolEqualityComparer.Default.Equals(member, source))
        {
            return;
        }

        if (!parents.ContainsKey(member))
        {
            parents.Add(member, member);
        }

        if (!parents.ContainsKey(source))
        {
            parents.Add(source, source);
        }

        var a = Find(parents, member);
        var b = Find(parents, source);
        if (!SymbolEqualityComparer.Default.Equals(a, b))
        {
            parents[a] = b;
        }
    }

    private static ISymbol Find(Dictionary<ISymbol, ISymbol> parents, ISymbol symbol)
    {
        while (!SymbolEqualityComparer.Default.Equals(parents[symbol], symbol))
        {
            symbol = parents[symbol];
        }

        return symbol;
    }
}
