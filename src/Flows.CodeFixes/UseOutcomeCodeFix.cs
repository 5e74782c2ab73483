using System.Composition;
using Flows.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.CodeFixes;

/// <summary>
/// FLOW011: a parameter that consumes a step which may fail becomes <c>Outcome&lt;T&gt;</c>. The body keeps its
/// meaning: every use of the parameter reads <c>.Value</c>, which rethrows the step's failure, so the code
/// compiles and behaves as before until the user decides what a failure should mean.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseOutcomeCodeFix)), Shared]
public sealed class UseOutcomeCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.OutcomeRequired);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span).FirstAncestorOrSelf<ParameterSyntax>() is not { Type: not null } parameter)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            // Only a single outcome can be unwrapped with .Value; a list of item outcomes needs the user's decision.
            if (!diagnostic.GetMessage().Contains("declare it as 'Flows.Outcome<"))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Take '{parameter.Identifier.ValueText}' as an Outcome",
                    cancellationToken => UseOutcomeAsync(context.Document, parameter, cancellationToken),
                    equivalenceKey: nameof(UseOutcomeCodeFix)),
                diagnostic);
        }
    }

    private static async Task<Document> UseOutcomeAsync(Document document, ParameterSyntax parameter, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || parameter.Parent?.Parent is not BaseMethodDeclarationSyntax method
            || model.GetDeclaredSymbol(parameter, cancellationToken) is not { } symbol)
        {
            return document;
        }

        // Every read of the parameter in the body becomes parameter.Value.
        var uses = method.DescendantNodes()
            .OfType<IdentifierNameSyntax>()
            .Where(name => name.Identifier.ValueText == parameter.Identifier.ValueText
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, symbol))
            .ToList();

        var outcomeType = SyntaxFactory.ParseTypeName($"Flows.Outcome<{parameter.Type!.WithoutTrivia().ToString()}>")
            .WithTriviaFrom(parameter.Type!);
        var newMethod = method.ReplaceNodes(
            uses.Cast<SyntaxNode>().Append(parameter.Type!),
            (original, _) => original is IdentifierNameSyntax name
                ? SyntaxFactory.MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression,
                    name.WithoutTrivia(),
                    SyntaxFactory.IdentifierName("Value")).WithTriviaFrom(name)
                : outcomeType);
        return document.WithSyntaxRoot(root.ReplaceNode(method, newMethod));
    }
}
