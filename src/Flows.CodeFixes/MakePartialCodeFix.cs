using System.Composition;
using Flows.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.CodeFixes;

/// <summary>FLOW005: makes the workflow class and every type that contains it partial.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFix)), Shared]
public sealed class MakePartialCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.NotPartial);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span).FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } declaration)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Make '{declaration.Identifier.ValueText}' partial",
                    cancellationToken => MakePartialAsync(context.Document, declaration, cancellationToken),
                    equivalenceKey: nameof(MakePartialCodeFix)),
                diagnostic);
        }
    }

    private static async Task<Document> MakePartialAsync(Document document, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        // The workflow and every type around it: fixing one at a time would leave the next error behind.
        // Flagged on a containing type, the fix also reaches down to the workflows inside it.
        var workflows = declaration.DescendantNodesAndSelf().OfType<TypeDeclarationSyntax>().Where(IsWorkflow);
        var targets = workflows
            .SelectMany(workflow => workflow.AncestorsAndSelf().OfType<TypeDeclarationSyntax>())
            .Concat(declaration.AncestorsAndSelf().OfType<TypeDeclarationSyntax>())
            .Where(type => !type.Modifiers.Any(SyntaxKind.PartialKeyword))
            .Distinct()
            .ToList();
        var newRoot = root.ReplaceNodes(targets, static (_, rewritten) => AddPartial(rewritten));
        return document.WithSyntaxRoot(newRoot);
    }

    private static bool IsWorkflow(TypeDeclarationSyntax type) =>
        type.AttributeLists.SelectMany(list => list.Attributes).Any(attribute => attribute.Name.ToString() is
            "Workflow" or "WorkflowAttribute" or "Flows.Workflow" or "Flows.WorkflowAttribute" or "global::Flows.Workflow" or "global::Flows.WorkflowAttribute");

    // "partial" goes last among the modifiers, before the keyword, as C# requires.
    private static SyntaxNode AddPartial(TypeDeclarationSyntax type)
    {
        var partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword);
        if (type.Modifiers.Count == 0)
        {
            var leading = type.Keyword.LeadingTrivia;
            var withModifier = type.WithKeyword(type.Keyword.WithLeadingTrivia(SyntaxFactory.Space))
                .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(leading)));
            return withModifier;
        }

        return type.WithModifiers(type.Modifiers.Add(partial.WithTrailingTrivia(SyntaxFactory.Space)));
    }
}
