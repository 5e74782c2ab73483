using System.Composition;
using Flows.Analyzers;
using Flows.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Rename;

namespace Flows.CodeFixes;

/// <summary>
/// FLOW014: a parameter became a workflow input while an unused output would fit it. Two fixes bind it to that
/// output: rename the parameter after the output (its uses and named arguments follow, through the Renamer), or
/// keep the name and add <c>[FromStep(nameof(Producer))]</c>. The producer is the diagnostic's additional location.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MisnamedInputCodeFix)), Shared]
public sealed class MisnamedInputCodeFix : CodeFixProvider
{
    private const string RenameKey = nameof(MisnamedInputCodeFix) + ".Rename";
    private const string FromStepKey = nameof(MisnamedInputCodeFix) + ".FromStep";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MisnamedInput);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<ParameterSyntax>() is not { Parent.Parent: BaseMethodDeclarationSyntax method } parameter
                || diagnostic.AdditionalLocations.Count == 0
                || await ProducerNameAsync(diagnostic.AdditionalLocations[0], context.CancellationToken).ConfigureAwait(false) is not { } producer)
            {
                continue;
            }

            var newName = ParameterNames.ForOutput(OutputNameOf(producer.ValueText));
            if (!Declares(method, parameter, newName))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Rename '{parameter.Identifier.ValueText}' to '{newName}'",
                        cancellationToken => RenameAsync(context.Document, parameter, newName, cancellationToken),
                        equivalenceKey: RenameKey),
                    diagnostic);
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Add [FromStep(nameof({producer.Text}))] to '{parameter.Identifier.ValueText}'",
                    cancellationToken => AddFromStepAsync(context.Document, parameter, producer.Text, cancellationToken),
                    equivalenceKey: FromStepKey),
                diagnostic);
        }
    }

    // The producing step's name token (its text keeps an '@'); it may be in another file of a partial class.
    private static async Task<SyntaxToken?> ProducerNameAsync(Location location, CancellationToken cancellationToken)
    {
        if (location.SourceTree is not { } tree)
        {
            return null;
        }

        var root = await tree.GetRootAsync(cancellationToken).ConfigureAwait(false);
        var token = root.FindToken(location.SourceSpan.Start);
        return token.IsKind(SyntaxKind.IdentifierToken) && token.Parent is MethodDeclarationSyntax ? token : null;
    }

    // DESIGN.md "Binding": a step's output name is its method name without an Async suffix (the parser's
    // WorkflowParser.OutputNameOf, which this assembly does not compile in).
    private static string OutputNameOf(string methodName) =>
        methodName.Length > "Async".Length && methodName.EndsWith("Async", StringComparison.Ordinal)
            ? methodName.Substring(0, methodName.Length - "Async".Length)
            : methodName;

    // Whether the method already uses the new name for something else (another parameter, a local, a lambda
    // parameter, a member it reads): renaming would then change what that code means, so only [FromStep] is offered.
    private static bool Declares(BaseMethodDeclarationSyntax method, ParameterSyntax parameter, string newName)
    {
        var valueText = newName.TrimStart('@');
        foreach (var token in method.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == valueText && token != parameter.Identifier)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<Solution> RenameAsync(Document document, ParameterSyntax parameter, string newName, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model?.GetDeclaredSymbol(parameter, cancellationToken) is not { } symbol)
        {
            return document.Project.Solution;
        }

        return await Renamer.RenameSymbolAsync(document.Project.Solution, symbol, default(SymbolRenameOptions), newName, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Document> AddFromStepAsync(Document document, ParameterSyntax parameter, string producer, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var attribute = SyntaxFactory.Attribute(
            SyntaxFactory.ParseName(AttributeName(model, parameter.SpanStart)),
            SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.AttributeArgument(SyntaxFactory.ParseExpression($"nameof({producer})")))));
        // Concrete trivia, not elastic: the formatter would glue the list to an attribute list before it.
        var list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(attribute))
            .NormalizeWhitespace()
            .WithTrailingTrivia(SyntaxFactory.Space);
        var newParameter = parameter
            .WithoutLeadingTrivia()
            .AddAttributeLists(list)
            .WithLeadingTrivia(parameter.GetLeadingTrivia());
        return document.WithSyntaxRoot(root.ReplaceNode(parameter, newParameter));
    }

    // 'FromStep' where it already means Flows.FromStepAttribute at this position (a using Flows;, a global using, code
    // inside namespace Flows) and nothing else is called FromStep there; the qualified name otherwise, so the fix
    // compiles without adding a using that could make other names in the file ambiguous.
    private static string AttributeName(SemanticModel model, int position)
    {
        var attributeType = model.Compilation.GetTypeByMetadataName("Flows.FromStepAttribute");
        var suffixed = model.GetSpeculativeSymbolInfo(position, SyntaxFactory.ParseName("FromStepAttribute"), SpeculativeBindingOption.BindAsTypeOrNamespace);
        var plain = model.GetSpeculativeSymbolInfo(position, SyntaxFactory.ParseName("FromStep"), SpeculativeBindingOption.BindAsTypeOrNamespace);
        return attributeType is not null
            && SymbolEqualityComparer.Default.Equals(suffixed.Symbol, attributeType)
            && plain.Symbol is null && plain.CandidateSymbols.IsEmpty
            ? "FromStep"
            : "global::Flows.FromStep";
    }
}
