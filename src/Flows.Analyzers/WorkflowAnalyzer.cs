using System.Collections.Immutable;
using Flows.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Flows.Analyzers;

/// <summary>
/// Reports what is wrong with a workflow's declaration. It runs the same parser as the generator, so it
/// explains exactly why a workflow was not generated.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WorkflowAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    /// <remarks>
    /// The declaration problems (<c>Flows.Usage</c>) but FLOW017, which the generator reports; the concurrency rules
    /// belong to <c>StepConcurrencyAnalyzer</c>.
    /// </remarks>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        DiagnosticDescriptors.ById.Values
            .Where(descriptor => descriptor.Category is DiagnosticDescriptors.UsageCategory or DiagnosticDescriptors.DurableCategory && descriptor.Id != DiagnosticIds.NotGenerated)
            .OrderBy(descriptor => descriptor.Id, StringComparer.Ordinal)
            .ToImmutableArray();

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            // Nothing to do in a compilation that does not reference Flows.
            var workflowAttribute = start.Compilation.GetTypeByMetadataName(KnownTypeNames.WorkflowAttribute);
            if (workflowAttribute is null)
            {
                return;
            }

            start.RegisterSymbolAction(
                symbolContext => AnalyzeType(symbolContext, workflowAttribute),
                SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, INamedTypeSymbol workflowAttribute)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!ParsedWorkflows.IsWorkflow(type, workflowAttribute))
        {
            return;
        }

        var result = ParsedWorkflows.Get(type, context.Compilation, context.CancellationToken);
        foreach (var problem in result.Problems)
        {
            if (DiagnosticDescriptors.ById.TryGetValue(problem.Id, out var descriptor))
            {
                context.ReportDiagnostic(Diagnostic.Create(descriptor, problem.Location, problem.AdditionalLocations, problem.Properties, problem.Arguments));
            }
        }
    }
}
