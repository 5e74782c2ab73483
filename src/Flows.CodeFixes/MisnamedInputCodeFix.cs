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
            // A parameter being typed may have no name yet ('int' alone): there is nothing to rename or bind.
            if (root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<ParameterSyntax>() is not { Parent.Parent: BaseMethodDeclarationSyntax method } parameter
                || parameter.Identifier.IsMissing
                || parameter.Identifier.ValueText.Length == 0
                // Two parameters of one name (CS0100): which one a use binds to is the compiler's guess; renaming one
                // or binding it elsewhere would change what the body reads.
                || method.ParameterList.Parameters.Count(other => other.Identifier.ValueText == parameter.Identifier.ValueText) > 1
                || diagnostic.AdditionalLocations.Count == 0
                || await ProducerNameAsync(diagnostic.AdditionalLocations[0], context.CancellationToken).ConfigureAwait(false) is not { } producer)
            {
                continue;
            }

            var newName = ParameterNames.ForOutput(ParameterNames.OutputNameOf(producer.ValueText));
            // A name with the reserved '__' prefix (a producer already flagged FLOW008) would be flagged too.
            if (!newName.TrimStart('@').StartsWith("__", StringComparison.Ordinal) && !Declares(method, parameter, newName))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Rename '{parameter.Identifier.ValueText}' to '{newName}'",
                        cancellationToken => RenameAsync(context.Document, parameter, newName, cancellationToken),
                        equivalenceKey: RenameKey),
                    diagnostic);
            }

            // A name with the reserved prefix stays flagged (FLOW008) however it is bound: only a rename helps it.
            if (parameter.Identifier.ValueText.StartsWith("__", StringComparison.Ordinal))
            {
                continue;
            }

            var stepName = await StepNameAsync(context.Document, parameter.SpanStart, producer, context.CancellationToken).ConfigureAwait(false);
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Add [FromStep({stepName})] to '{parameter.Identifier.ValueText}'",
                    cancellationToken => AddFromStepAsync(context.Document, parameter, stepName, cancellationToken),
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

    // 'nameof(Producer)', or the name as a string where 'nameof' is itself a member in scope (a step named nameof):
    // 'nameof(nameof)' would then call it.
    private static async Task<string> StepNameAsync(Document document, int position, SyntaxToken producer, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        return model is not null && model.LookupSymbols(position, name: "nameof").IsEmpty
            ? $"nameof({producer.Text})"
            : SymbolDisplay.FormatLiteral(producer.ValueText, quote: true);
    }

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

        var renamed = await Renamer.RenameSymbolAsync(document.Project.Solution, symbol, default(SymbolRenameOptions), newName, cancellationToken).ConfigureAwait(false);
        return await RemoveInputArgumentsAsync(renamed, symbol, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Solution> AddFromStepAsync(Document document, ParameterSyntax parameter, string stepName, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || model.GetDeclaredSymbol(parameter, cancellationToken) is not { } symbol)
        {
            return document.Project.Solution;
        }

        var attribute = SyntaxFactory.Attribute(
            SyntaxFactory.ParseName(AttributeName(model, parameter.SpanStart)),
            SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.AttributeArgument(SyntaxFactory.ParseExpression(stepName)))));
        // Concrete trivia, not elastic: the formatter would glue the list to an attribute list before it.
        var list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(attribute))
            .NormalizeWhitespace()
            .WithTrailingTrivia(SyntaxFactory.Space);
        var newParameter = parameter
            .WithoutLeadingTrivia()
            .AddAttributeLists(list)
            .WithLeadingTrivia(parameter.GetLeadingTrivia());
        var changed = document.WithSyntaxRoot(root.ReplaceNode(parameter, newParameter)).Project.Solution;
        return await RemoveInputArgumentsAsync(changed, symbol, cancellationToken).ConfigureAwait(false);
    }

    // Once the parameter is bound to the step's output, the input it made is gone from RunAsync, unless another step
    // takes an input of the same name. A call written against the old RunAsync would pass an argument RunAsync no longer
    // has (CS1739, CS1501): remove it, where it is named, or positional in a call that binds to the generated RunAsync.
    private static async Task<Solution> RemoveInputArgumentsAsync(Solution solution, IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        var inputName = parameter.Name;
        if (parameter.ContainingSymbol?.ContainingType is not { } workflow || SharesInput(workflow, parameter))
        {
            return solution;
        }

        foreach (var projectId in solution.ProjectIds)
        {
            foreach (var documentId in solution.GetProject(projectId)!.DocumentIds)
            {
                var document = solution.GetDocument(documentId)!;
                var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                if (root is null || !root.DescendantTokens().Any(token => token.ValueText == "RunAsync"))
                {
                    continue;
                }

                var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
                if (model is null)
                {
                    continue;
                }

                var removals = new List<ArgumentSyntax>();
                foreach (var invocation in root.DescendantNodes().OfType<InvocationExpressionSyntax>())
                {
                    if (CallsRunAsyncOf(model, invocation, workflow, cancellationToken) && ArgumentFor(model, invocation, inputName, cancellationToken) is { } argument)
                    {
                        removals.Add(argument);
                    }
                }

                if (removals.Count > 0)
                {
                    var newRoot = root.ReplaceNodes(
                        removals.Select(argument => (ArgumentListSyntax)argument.Parent!).Distinct(),
                        (original, _) => original.WithArguments(original.Arguments.Remove(original.Arguments.First(removals.Contains))));
                    solution = solution.WithDocumentSyntaxRoot(documentId, newRoot);
                }
            }
        }

        return solution;
    }

    // Another step parameter of the workflow with the input's name (inputs match ignoring case) keeps the input.
    private static bool SharesInput(INamedTypeSymbol workflow, IParameterSymbol parameter)
    {
        foreach (var member in workflow.GetMembers())
        {
            if (member is IMethodSymbol method && !SymbolEqualityComparer.Default.Equals(method, parameter.ContainingSymbol) && method.Name != "RunAsync")
            {
                foreach (var other in method.Parameters)
                {
                    if (string.Equals(other.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)
                        && method.GetAttributes().Any(attribute => attribute.AttributeClass?.ContainingNamespace?.Name == "Flows"))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    // 'x.RunAsync(...)' with x of the workflow's type, 'Workflow.RunAsync(...)' for a static one, or 'RunAsync(...)'
    // inside it; bound to the generated method or, where generated code is not in the compilation, unbound.
    private static bool CallsRunAsyncOf(SemanticModel model, InvocationExpressionSyntax invocation, INamedTypeSymbol workflow, CancellationToken cancellationToken)
    {
        ITypeSymbol? receiver;
        switch (invocation.Expression)
        {
            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "RunAsync" } access:
                receiver = model.GetTypeInfo(access.Expression, cancellationToken).Type
                    ?? model.GetSymbolInfo(access.Expression, cancellationToken).Symbol as ITypeSymbol;
                break;
            case IdentifierNameSyntax { Identifier.ValueText: "RunAsync" } name:
                receiver = model.GetEnclosingSymbol(name.SpanStart, cancellationToken)?.ContainingType;
                break;
            default:
                return false;
        }

        // The workflow's symbol is of the compilation before the fix: compare names, not symbols.
        return receiver is not null
            && receiver.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) == workflow.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
    }

    private static ArgumentSyntax? ArgumentFor(SemanticModel model, InvocationExpressionSyntax invocation, string inputName, CancellationToken cancellationToken)
    {
        var arguments = invocation.ArgumentList.Arguments;
        foreach (var argument in arguments)
        {
            if (argument.NameColon?.Name.Identifier.ValueText == inputName)
            {
                return argument;
            }
        }

        // A positional argument can only be placed by the method it binds to.
        if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol method
            && method.Parameters.FirstOrDefault(p => p.Name == inputName) is { } parameter
            && parameter.Ordinal < arguments.Count
            && arguments.Take(parameter.Ordinal + 1).All(argument => argument.NameColon is null))
        {
            return arguments[parameter.Ordinal];
        }

        return null;
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
