using Flows.Generator.Emitting;
using Flows.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.Generator;

/// <summary>
/// Writes the orchestration of every <c>[Workflow]</c> class: <c>RunAsync</c>, <c>MermaidDiagram</c> and the
/// step hooks. It reports nothing: the Flows analyzers explain why a workflow was not generated.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class WorkflowGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var workflows = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.WorkflowAttribute,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (context, cancellationToken) => context.TargetSymbol is INamedTypeSymbol type && IsFirstWorkflowDeclaration(type, context.TargetNode, cancellationToken)
                    ? WorkflowParser.Parse(type, context.SemanticModel.Compilation, cancellationToken).Model
                    : null)
            .WithTrackingName(TrackingNames.Models)
            .Where(static model => model is not null)
            .WithTrackingName(TrackingNames.Workflows);

        context.RegisterSourceOutput(workflows, static (context, model) =>
        {
            var (hintName, source) = WorkflowEmitter.Emit(model!);
            context.AddSource(hintName, source);
        });
    }

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
