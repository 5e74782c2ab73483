using System.Composition;
using Flows.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.CodeFixes;

/// <summary>
/// FLOW001: takes the consuming step out of its parallel group, so it runs as a stage of its own after the
/// group. Where the method is marked only <c>[Parallel]</c>, it keeps being a step: <c>[Step]</c> replaces it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LeaveGroupCodeFix)), Shared]
public sealed class LeaveGroupCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.DependentParallelSteps);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span).FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method || model is null)
        {
            return;
        }

        var parallel = FindAttribute(method, model, "Flows.ParallelAttribute", context.CancellationToken);
        if (parallel is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Run '{method.Identifier.ValueText}' after its group",
                    cancellationToken => LeaveGroupAsync(context.Document, method, parallel, model, cancellationToken),
                    equivalenceKey: nameof(LeaveGroupCodeFix)),
                diagnostic);
        }
    }

    private static AttributeSyntax? FindAttribute(MethodDeclarationSyntax method, SemanticModel model, string metadataName, CancellationToken cancellationToken)
    {
        foreach (var list in method.AttributeLists)
        {
            foreach (var attribute in list.Attributes)
            {
                if (model.GetSymbolInfo(attribute, cancellationToken).Symbol?.ContainingType is { } type
                    && type.ToDisplayString() == metadataName)
                {
                    return attribute;
                }
            }
        }

        return null;
    }

    private static async Task<Document> LeaveGroupAsync(Document document, MethodDeclarationSyntax method, AttributeSyntax parallel, SemanticModel model, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var isStepOtherwise = FindAttribute(method, model, "Flows.StepAttribute", cancellationToken) is not null
            || FindAttribute(method, model, "Flows.ParallelForEachAttribute", cancellationToken) is not null;
        var list = (AttributeListSyntax)parallel.Parent!;
        MethodDeclarationSyntax newMethod;
        if (!isStepOtherwise)
        {
            // [Parallel("g")] alone made the method a step: [Step] keeps it one.
            var step = SyntaxFactory.Attribute(SyntaxFactory.ParseName(parallel.Name is QualifiedNameSyntax ? "Flows.Step" : "Step"));
            newMethod = method.ReplaceNode(parallel, step);
        }
        else if (list.Attributes.Count > 1)
        {
            newMethod = method.ReplaceNode(list, list.WithAttributes(list.Attributes.Remove(parallel)));
        }
        else
        {
            newMethod = method.RemoveNode(list, SyntaxRemoveOptions.KeepExteriorTrivia)!;
        }

        return document.WithSyntaxRoot(root.ReplaceNode(method, newMethod));
    }
}
