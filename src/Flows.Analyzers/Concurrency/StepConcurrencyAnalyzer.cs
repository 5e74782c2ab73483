using System.Collections.Immutable;
using Flows.Generator;
using Flows.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Flows.Analyzers.Concurrency;

/// <summary>
/// FLOW002/FLOW003: state or thread-unsafe objects that steps which may run at the same time use without
/// synchronization; FLOW004: calls inside a step that block its thread. One workflow at a time, in a symbol action:
/// the steps' bodies (and the methods they call in this compilation) are summarized once per compilation, and the
/// steps that may overlap come from the same model the generator writes the orchestration from.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StepConcurrencyAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The property of a FLOW004 that the code fix reads: which blocking call it is, when it sits in the step itself.</summary>
    public const string BlockingKindProperty = "BlockingKind";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.SharedMutableState,
        DiagnosticDescriptors.ThreadUnsafeObject,
        DiagnosticDescriptors.BlockingCall);

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

            var cache = new SummaryCache(start.Compilation, new KnownSymbols(start.Compilation, workflowAttribute));
            start.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, cache), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, SummaryCache cache)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind != TypeKind.Class || !IsWorkflow(type, cache.Symbols.WorkflowAttribute))
        {
            return;
        }

        var result = WorkflowParser.Parse(type, context.Compilation, context.CancellationToken);
        var methods = result.StepMethods;
        var summaries = ImmutableArray.CreateBuilder<MethodSummary?>(methods.Length);
        foreach (var method in methods)
        {
            var userCode = method.DeclaringSyntaxReferences.Length > 0
                && method.DeclaringSyntaxReferences.All(reference => !cache.IsGenerated(reference.SyntaxTree));
            var summary = userCode ? cache.Get(method, context.CancellationToken) : null;
            summaries.Add(summary);
            if (summary is not null)
            {
                ReportBlockingCalls(context, method, summary);
            }
        }

        // Which steps overlap is only known for a workflow that can be generated.
        if (result.Model is { } model && model.Steps.Count == methods.Length)
        {
            RaceDetector.Report(model, methods, summaries.MoveToImmutable(), context.ReportDiagnostic, context.CancellationToken);
        }
    }

    private static bool IsWorkflow(INamedTypeSymbol type, INamedTypeSymbol workflowAttribute)
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

    private static void ReportBlockingCalls(SymbolAnalysisContext context, IMethodSymbol step, MethodSummary summary)
    {
        foreach (var call in summary.BlockingCalls)
        {
            var properties = call.Via is null
                ? ImmutableDictionary<string, string?>.Empty.Add(BlockingKindProperty, call.Kind.ToString())
                : ImmutableDictionary<string, string?>.Empty;
            var (what, advice) = call.Kind switch
            {
                BlockingKind.Result => (".Result", "await the task instead"),
                BlockingKind.Wait => (".Wait()", "await the task instead"),
                BlockingKind.GetResult => ("GetAwaiter().GetResult()", "await the task instead"),
                BlockingKind.Sleep => ("Thread.Sleep", "await Task.Delay instead"),
                BlockingKind.WaitAll => ("Task.WaitAll", "await Task.WhenAll instead"),
                _ => ("Task.WaitAny", "await Task.WhenAny instead"),
            };
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.BlockingCall,
                call.Location,
                properties,
                what,
                step.Name,
                call.Via is null ? string.Empty : $" (through '{call.Via}')",
                advice));
        }
    }
}
