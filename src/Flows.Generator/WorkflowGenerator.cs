using Flows.Generator.Emitting;
using Flows.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.Generator;

/// <summary>
/// Writes the orchestration of every <c>[Workflow]</c> class: <c>RunAsync</c>, <c>MermaidDiagram</c> and the
/// step hooks. The Flows analyzers explain what is wrong with a workflow; for one it skips, the generator reports one
/// diagnostic of its own, FLOW017, which names the first error: the compiler prints it before the call sites' CS1061
/// (analyzers' diagnostics come last in a build log), so the log starts with the reason.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class WorkflowGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.WorkflowAttribute,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (context, cancellationToken) => context.TargetSymbol is INamedTypeSymbol type && IsFirstWorkflowDeclaration(type, context.TargetNode, cancellationToken)
                    ? Parse(type, (TypeDeclarationSyntax)context.TargetNode, context.SemanticModel.Compilation, cancellationToken)
                    : null)
            .WithTrackingName(TrackingNames.Models);

        var workflows = parsed
            .Select(static (output, _) => output?.Model)
            .Where(static model => model is not null)
            .WithTrackingName(TrackingNames.Workflows);

        var skipped = parsed
            .Select(static (output, _) => output?.NotGenerated)
            .Where(static skipped => skipped is not null)
            .WithTrackingName(TrackingNames.NotGenerated);

        context.RegisterSourceOutput(workflows, static (context, model) =>
        {
            var (hintName, source) = WorkflowEmitter.Emit(model!);
            context.AddSource(hintName, source);
        });

        context.RegisterSourceOutput(skipped, static (context, skipped) => context.ReportDiagnostic(skipped!.ToDiagnostic()));
    }

    private static WorkflowOutput Parse(INamedTypeSymbol type, TypeDeclarationSyntax declaration, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        var result = WorkflowParser.Parse(type, compilation, cancellationToken);
        return result.Model is { } model
            ? new WorkflowOutput(model, null)
            : new WorkflowOutput(null, NotGeneratedWorkflow.From(type, declaration.Identifier.GetLocation(), result.Problems));
    }

    /// <summary>What the pipeline keeps of one workflow: the model to generate, or why there is none.</summary>
    private sealed record WorkflowOutput(Model.WorkflowModel? Model, NotGeneratedWorkflow? NotGenerated);

    // [Workflow] written on two partial declarations of one class (an error of its own, CS0579) reaches the transform
    // once per declaration; only the declaration of the first such attribute generates, so the file is added once.
    private static bool IsFirstWorkflowDeclaration(INamedTypeSymbol type, SyntaxNode node, System.Threading.CancellationToken cancellationToken)
    {
        if (type.DeclaringSyntaxReferences.Length < 2)
        {
            return true;
        }

        foreach (var attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass.Is(KnownTypeNames.WorkflowAttribute))
            {
                return attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).Parent?.Parent == node;
            }
        }

        return true;
    }
}
