using System.Collections.Immutable;
using System.Threading;
using Flows.Generator;
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
            start.RegisterSymbolAction(
                symbolContext =>
                {
                    var type = (INamedTypeSymbol)symbolContext.Symbol;
                    if (type.TypeKind == TypeKind.Class && ParsedWorkflows.IsWorkflow(type, workflowAttribute))
                    {
                        AnalyzeWorkflow(symbolContext, cache);
                    }
                },
                SymbolKind.NamedType);
        });
    }

    private static void AnalyzeWorkflow(SymbolAnalysisContext context, SummaryCache cache)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var result = ParsedWorkflows.Get(type, context.Compilation, context.CancellationToken);
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
            RaceDetector.Report(
                model,
                methods,
                summaries.MoveToImmutable(),
                Hooks(type, cache, context.CancellationToken),
                () => FieldAliases.Of(type, cache, context.CancellationToken),
                context.ReportDiagnostic,
                context.CancellationToken);
        }
    }

    /// <summary>
    /// The hooks the user implemented (<c>OnStepStarting</c>, <c>OnStepCompleted</c>, <c>OnStepFailed</c>) with their
    /// summaries: they run around every step and every foreach item, so as often at once as the steps do.
    /// </summary>
    private static ImmutableArray<(IMethodSymbol Hook, MethodSummary Summary)> Hooks(INamedTypeSymbol type, SummaryCache cache, CancellationToken cancellationToken)
    {
        var hooks = ImmutableArray.CreateBuilder<(IMethodSymbol, MethodSummary)>();
        foreach (var name in HookNames)
        {
            foreach (var member in type.GetMembers(name))
            {
                if (member is IMethodSymbol { PartialImplementationPart: { } implementation }
                    && implementation.DeclaringSyntaxReferences.Any(reference => !cache.IsGenerated(reference.SyntaxTree)))
                {
                    hooks.Add((implementation, cache.Get(implementation, cancellationToken)));
                }
            }
        }

        return hooks.ToImmutable();
    }

    private static readonly string[] HookNames = { "OnStepStarting", "OnStepCompleted", "OnStepFailed" };

    private static void ReportBlockingCalls(SymbolAnalysisContext context, IMethodSymbol step, MethodSummary summary)
    {
        foreach (var call in summary.BlockingCalls)
        {
            var properties = call.Via is null
                ? ImmutableDictionary<string, string?>.Empty.Add(BlockingKindProperty, call.Kind.ToString())
                : ImmutableDictionary<string, string?>.Empty;
            var advice = BlockingApis.AdviceFor(call.Kind);
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.BlockingCall,
                call.Location,
                properties,
                advice.Display,
                step.Name,
                call.Via is null ? string.Empty : $" (through '{call.Via}')",
                advice.Advice));
        }
    }
}
