using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading;
using Flows.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace Flows.Analyzers;

/// <summary>
/// The parse of each workflow, shared by the analyzers of one compilation: the declaration rules and the race analysis
/// both need it, and the driver runs them over the same <see cref="Compilation"/> instance.
/// </summary>
internal static class ParsedWorkflows
{
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<INamedTypeSymbol, WorkflowParseResult>> s_byCompilation = new();

    public static WorkflowParseResult Get(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        var results = s_byCompilation.GetValue(compilation, static _ => new ConcurrentDictionary<INamedTypeSymbol, WorkflowParseResult>(SymbolEqualityComparer.Default));
        if (results.TryGetValue(type, out var result))
        {
            return result;
        }

        result = WorkflowParser.Parse(type, compilation, cancellationToken);
        return results.GetOrAdd(type, result);
    }

    /// <summary>Whether <paramref name="type"/> carries <paramref name="workflowAttribute"/>.</summary>
    public static bool IsWorkflow(INamedTypeSymbol type, INamedTypeSymbol workflowAttribute)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, workflowAttribute))
            {
                return true;
            }
        }

        return false;
    }
}
