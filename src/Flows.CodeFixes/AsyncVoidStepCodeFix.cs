using System.Composition;
using Flows.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.CodeFixes;

/// <summary>
/// FLOW008: an <c>async void</c> step becomes <c>async Task</c>, so the workflow can await it. Offered for the async-void
/// FLOW008 only (a generic or ref-parameter FLOW008 of the same method stays), and not where another declaration must
/// keep returning void: a partial method's other part, an override, an interface member it implements.
/// </summary>
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
            || method.ReturnType is not PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword }
            // The other part of a partial method, an overridden or implemented void method would no longer match.
            || method.Modifiers.Any(SyntaxKind.PartialKeyword)
            || method.Modifiers.Any(SyntaxKind.OverrideKeyword)
            || method.ExplicitInterfaceSpecifier is not null)
        {
            return;
        }

        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (model?.GetDeclaredSymbol(method, context.CancellationToken) is not { } symbol || ImplementsInterfaceMember(symbol))
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            // FLOW008 has other causes (generic, ref parameters, a shared output name) at the same place; only the async
            // void one is this fix's. Its location is the method's name.
            if (!diagnostic.GetMessage().Contains("async step must return Task or ValueTask, not void")
                || diagnostic.Location.SourceSpan != method.Identifier.Span)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Return Task instead of void",
                    cancellationToken => ReturnTaskAsync(context.Document, method, cancellationToken),
                    equivalenceKey: nameof(AsyncVoidStepCodeFix)),
                diagnostic);
        }
    }

    private static bool ImplementsInterfaceMember(IMethodSymbol method) =>
        method.ContainingType.AllInterfaces
            .SelectMany(@interface => @interface.GetMembers(method.Name).OfType<IMethodSymbol>())
            .Any(member => SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(member), method));

    private static async Task<Document> ReturnTaskAsync(Document document, MethodDeclarationSyntax method, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        // Task where that name means System.Threading.Tasks.Task, qualified otherwise, whatever the file's usings.
        var task = Names.Type(model, method.ReturnType.SpanStart, "System.Threading.Tasks", "Task").WithTriviaFrom(method.ReturnType);
        return document.WithSyntaxRoot(root.ReplaceNode(method.ReturnType, task));
    }
}
