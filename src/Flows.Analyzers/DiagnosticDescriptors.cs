using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Flows.Analyzers;

/// <summary>Every Flows diagnostic descriptor. Message arguments are strings.</summary>
internal static class DiagnosticDescriptors
{
    public const string UsageCategory = "Flows.Usage";
    public const string ConcurrencyCategory = "Flows.Concurrency";

    public static readonly DiagnosticDescriptor NotPartial = Create(
        DiagnosticIds.NotPartial,
        "Workflow types must be partial",
        "'{0}' must be partial: Flows generates the RunAsync of workflow '{1}' into it",
        UsageCategory,
        DiagnosticSeverity.Error,
        "The Flows generator adds RunAsync, MermaidDiagram and the step hooks to a [Workflow] class, which it can only do when the class and every type that contains it are declared partial.");

    /// <summary>The descriptors reported today, by ID.</summary>
    public static readonly ImmutableDictionary<string, DiagnosticDescriptor> ById =
        new[] { NotPartial }.ToImmutableDictionary(descriptor => descriptor.Id);

    /// <summary>The help page of a diagnostic: its page in the repository's docs/diagnostics folder.</summary>
    public static string HelpLinkFor(string id) => $"https://github.com/flows-dotnet/flows/blob/main/docs/diagnostics/{id}.md";

    private static DiagnosticDescriptor Create(string id, string title, string message, string category, DiagnosticSeverity severity, string description) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description: description, helpLinkUri: HelpLinkFor(id));
}
