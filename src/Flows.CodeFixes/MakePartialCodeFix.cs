using System.Composition;
using Flows.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.CodeFixes;

/// <summary>
/// FLOW005: makes the workflow class and every type that contains it partial, in every declaration, whatever document
/// it is in; the diagnostic is gone only when all of them are.
/// </summary>
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
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        // A declaration with no name yet ('class class Orders') is the parser's guess at what is being typed; the
        // compiler's CS1001 comes first, and a type the fix cannot name stays flagged.
        if (root?.FindToken(context.Span.Start).Parent is not BaseTypeDeclarationSyntax { Identifier.IsMissing: false } declaration
            || declaration.Identifier.Span != context.Span
            || model?.GetDeclaredSymbol(declaration, context.CancellationToken) is not INamedTypeSymbol type)
        {
            return;
        }

        var workflowAttribute = model.Compilation.GetTypeByMetadataName("Flows.WorkflowAttribute");
        var targets = Targets(type, workflowAttribute);

        // Every declaration that lacks the modifier gets it (C# wants it on all of them), so each must be one this fix
        // can change: a class, struct, record or interface declaration in a document of this solution.
        var declarations = new List<SyntaxReference>();
        foreach (var reference in targets.SelectMany(target => target.DeclaringSyntaxReferences))
        {
            if (reference.GetSyntax(context.CancellationToken) is not TypeDeclarationSyntax { Identifier.IsMissing: false } syntax)
            {
                return;
            }

            if (HasConflictingAccessibility(syntax))
            {
                // 'internal public class' (CS0107): made partial, it would also conflict with the generated part
                // (CS0262); the accessibility is the user's to settle first.
                return;
            }

            if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                if (context.Document.Project.Solution.GetDocument(reference.SyntaxTree) is null)
                {
                    return;
                }

                declarations.Add(reference);
            }
        }

        if (declarations.Count == 0)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Make '{declaration.Identifier.ValueText}' partial",
                    cancellationToken => MakePartialAsync(context.Document.Project.Solution, declarations, cancellationToken),
                    equivalenceKey: nameof(MakePartialCodeFix)),
                diagnostic);
        }
    }

    /// <summary>
    /// The types that must be partial: the flagged one and every type around it, and, flagged on a containing type,
    /// every workflow inside it with the types between. Fixing one at a time would leave the next error behind.
    /// </summary>
    private static List<INamedTypeSymbol> Targets(INamedTypeSymbol flagged, INamedTypeSymbol? workflowAttribute)
    {
        var targets = new List<INamedTypeSymbol>();
        void AddWithContainers(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
            {
                if (!targets.Contains(current, SymbolEqualityComparer.Default))
                {
                    targets.Add(current);
                }
            }
        }

        AddWithContainers(flagged);
        if (workflowAttribute is not null)
        {
            var pending = new Stack<INamedTypeSymbol>(flagged.GetTypeMembers());
            while (pending.Count > 0)
            {
                var nested = pending.Pop();
                if (nested.GetAttributes().Any(attribute => SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, workflowAttribute)))
                {
                    AddWithContainers(nested);
                }

                foreach (var inner in nested.GetTypeMembers())
                {
                    pending.Push(inner);
                }
            }
        }

        return targets;
    }

    private static async Task<Solution> MakePartialAsync(Solution solution, List<SyntaxReference> declarations, CancellationToken cancellationToken)
    {
        // Every declaration of every target, in whatever document it is.
        foreach (var byTree in declarations.GroupBy(reference => reference.SyntaxTree))
        {
            var document = solution.GetDocument(byTree.Key);
            var root = document is null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (document is null || root is null)
            {
                continue;
            }

            var nodes = byTree.Select(reference => (TypeDeclarationSyntax)reference.GetSyntax(cancellationToken)).ToList();
            solution = solution.WithDocumentSyntaxRoot(document.Id, root.ReplaceNodes(nodes, static (_, rewritten) => AddPartial(rewritten)));
        }

        return solution;
    }

    // More than one accessibility, other than the two combinations C# allows (protected internal, private protected).
    private static bool HasConflictingAccessibility(TypeDeclarationSyntax type)
    {
        var accessibility = type.Modifiers
            .Where(modifier => modifier.Kind() is SyntaxKind.PublicKeyword or SyntaxKind.InternalKeyword or SyntaxKind.PrivateKeyword or SyntaxKind.ProtectedKeyword)
            .Select(modifier => modifier.Kind())
            .ToList();
        return accessibility.Count > 2
            || (accessibility.Count == 2 && !(accessibility.Contains(SyntaxKind.ProtectedKeyword)
                && (accessibility.Contains(SyntaxKind.InternalKeyword) || accessibility.Contains(SyntaxKind.PrivateKeyword))));
    }

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
