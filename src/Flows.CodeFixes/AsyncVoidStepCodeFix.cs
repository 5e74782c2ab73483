using System.Composition;
using Flows.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.CodeFixes;

/// <summary>FLOW008: an <c>async void</c> step becomes <c>async Task</c>, so the workflow can await it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AsyncVoidStepCodeFix)), Shared]
public sealed class AsyncVoidStepCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.InvalidStepSignature);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span).FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method
            || !method.Modifiers.Any(SyntaxKind.AsyncKeyword)
            || method.ReturnType is not PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword })
        {
            // FLOW008 has other causes (generic, ref parameters, …) whose fix is not this one.
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Return Task instead of void",
                    cancellationToken => ReturnTaskAsync(context.Document, method, cancellationToken),
                    equivalenceKey: nameof(AsyncVoidStepCodeFix)),
                diagnostic);
        }
    }

    private static async Task<Document> ReturnTaskAsync(Document document, MethodDeclarationSyntax method, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        // Fully qualified, so that the fix compiles whatever the file's usings.
        var task = SyntaxFactory.ParseTypeName("System.Threading.Tasks.Task").WithTriviaFrom(method.ReturnType);
        return document.WithSyntaxRoot(root.ReplaceNode(method.ReturnType, task));
    }
}
