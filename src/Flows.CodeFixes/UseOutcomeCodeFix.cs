using System.Composition;
using Flows.Analyzers;
using Flows.Generator.Parsing;
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
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span).FirstAncestorOrSelf<ParameterSyntax>() is not { Type: not null } parameter
            || model is null
            || parameter.Parent?.Parent is not MethodDeclarationSyntax method
            // The other part of a partial method would no longer match; a params array cannot be an Outcome (ref, out, in
            // and this are FLOW008 or no step at all).
            || method.Modifiers.Any(SyntaxKind.PartialKeyword)
            || parameter.Modifiers.Count > 0
            || model.GetDeclaredSymbol(parameter, context.CancellationToken) is not { } symbol
            // A dynamic parameter's uses are bound at run time: read through .Value they would be typed at compile
            // time, and code that compiled against dynamic may not against the value's type.
            || symbol.Type.TypeKind == TypeKind.Dynamic
            || model.Compilation.GetTypeByMetadataName("Flows.Outcome`1") is not { } outcome)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            // Only a single outcome can be unwrapped with .Value; a list of item outcomes needs the user's decision.
            if (diagnostic.Location.SourceSpan != parameter.Identifier.Span
                || ProducedValue(model, diagnostic, parameter.SpanStart, outcome) is not { } value
                || Uses(method, symbol, model, context.CancellationToken) is not { } uses)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Take '{parameter.Identifier.ValueText}' as an Outcome",
                    cancellationToken => UseOutcomeAsync(context.Document, method, parameter, symbol, value, uses, cancellationToken),
                    equivalenceKey: nameof(UseOutcomeCodeFix)),
                diagnostic);
        }
    }

    /// <summary>
    /// <c>T</c> of the <c>Outcome&lt;T&gt;</c> the parameter must declare, as the parser computed it (the diagnostic's
    /// property): a foreach's output is the list of its items' results, a step that returns an <c>Outcome</c> produces
    /// it as it is, so the producer's return type does not say. An <c>Outcome&lt;object&gt;</c> does not take an
    /// <c>Outcome&lt;string&gt;</c>, so it must be exactly this type.
    /// </summary>
    private static ITypeSymbol? ProducedValue(SemanticModel model, Diagnostic diagnostic, int position, INamedTypeSymbol outcome)
    {
        if (!diagnostic.Properties.TryGetValue(DiagnosticIds.OutcomeTypeProperty, out var name)
            || name is null
            || SyntaxFactory.ParseTypeName(name) is not { ContainsDiagnostics: false } syntax
            || model.GetSpeculativeTypeInfo(position, syntax, SpeculativeBindingOption.BindAsTypeOrNamespace).Type
                is not INamedTypeSymbol { TypeArguments.Length: 1 } required
            || !SymbolEqualityComparer.Default.Equals(required.OriginalDefinition, outcome)
            || required.TypeArguments[0].ContainsErrorType())
        {
            return null;
        }

        return required.TypeArguments[0];
    }

    /// <summary>
    /// The parameter's reads in the method, which become <c>.Value</c>; null when the method writes the parameter
    /// (<c>Value</c> cannot be assigned or passed by reference), where the fix is not offered.
    /// </summary>
    private static List<IdentifierNameSyntax>? Uses(MethodDeclarationSyntax method, IParameterSymbol parameter, SemanticModel model, CancellationToken cancellationToken)
    {
        var uses = new List<IdentifierNameSyntax>();
        foreach (var name in method.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (name.Identifier.ValueText != parameter.Name
                || name.Parent is NameColonSyntax or NameEqualsSyntax
                || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, parameter))
            {
                continue;
            }

            if (IsInNameof(name, model, cancellationToken))
            {
                // nameof(discount) stays "discount".
                continue;
            }

            if (IsWritten(name))
            {
                return null;
            }

            uses.Add(name);
        }

        return uses;
    }

    private static bool IsInNameof(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken) =>
        node.Ancestors().OfType<InvocationExpressionSyntax>().Any(invocation =>
            invocation.Expression is IdentifierNameSyntax { Identifier.ValueText: "nameof" }
            && model.GetSymbolInfo(invocation, cancellationToken).Symbol is null);

    private static bool IsWritten(ExpressionSyntax name)
    {
        // (x, y) = …: the tuple's elements are written.
        var expression = name;
        while (expression.Parent is ArgumentSyntax { Parent: TupleExpressionSyntax tuple })
        {
            expression = tuple;
        }

        return expression.Parent switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left == expression,
            PrefixUnaryExpressionSyntax unary => unary.IsKind(SyntaxKind.PreIncrementExpression) || unary.IsKind(SyntaxKind.PreDecrementExpression) || unary.IsKind(SyntaxKind.AddressOfExpression),
            PostfixUnaryExpressionSyntax unary => unary.IsKind(SyntaxKind.PostIncrementExpression) || unary.IsKind(SyntaxKind.PostDecrementExpression),
            ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None),
            RefExpressionSyntax => true,
            ForEachVariableStatementSyntax => true,
            _ => false,
        };
    }

    private static async Task<Document> UseOutcomeAsync(
        Document document,
        MethodDeclarationSyntax method,
        ParameterSyntax parameter,
        IParameterSymbol symbol,
        ITypeSymbol value,
        List<IdentifierNameSyntax> uses,
        CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        // Outcome<T> of the parameter's own spelling when it names the produced type; else the produced type as it
        // is written at this place.
        var valueSyntax = SymbolEqualityComparer.Default.Equals(symbol.Type, value)
            ? parameter.Type!.WithoutTrivia()
            : Spell(value, model, parameter.SpanStart);
        var outcomeType = Names.Type(
            model,
            parameter.SpanStart,
            "Flows",
            "Outcome",
            arity: 1,
            SyntaxFactory.TypeArgumentList(SyntaxFactory.SingletonSeparatedList(valueSyntax)));

        var newParameter = parameter.WithType(outcomeType.WithTriviaFrom(parameter.Type!));
        if (parameter.Default is { } defaultValue)
        {
            // A default the old type took is no Outcome; the parameter is bound to the step anyway.
            newParameter = newParameter.WithDefault(defaultValue.WithValue(
                SyntaxFactory.LiteralExpression(SyntaxKind.DefaultLiteralExpression).WithTriviaFrom(defaultValue.Value)));
        }

        var namers = uses.Select(NamedBy).OfType<SyntaxNode>();
        var newMethod = method.ReplaceNodes(
            uses.Cast<SyntaxNode>().Concat(namers).Append(parameter),
            (original, rewritten) => original switch
            {
                _ when original == parameter => newParameter,
                IdentifierNameSyntax name => ReadValue(name),
                AnonymousObjectMemberDeclaratorSyntax member => ((AnonymousObjectMemberDeclaratorSyntax)rewritten)
                    .WithNameEquals(SyntaxFactory.NameEquals(Names.IdentifierName(symbol.Name))),
                ArgumentSyntax argument => ((ArgumentSyntax)rewritten)
                    .WithNameColon(SyntaxFactory.NameColon(Names.IdentifierName(symbol.Name))),
                _ => rewritten,
            });
        return document.WithSyntaxRoot(root.ReplaceNode(method, newMethod));
    }

    private static readonly SymbolDisplayFormat MinimalFormat = SymbolDisplayFormat.MinimallyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly SymbolDisplayFormat QualifiedFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>
    /// <paramref name="type"/> as written at <paramref name="position"/>: its minimal name where that binds to it there
    /// (Roslyn's minimal name can be caught by a namespace it does not see, System.Collections inside a Shop.System),
    /// its <c>global::</c> name otherwise.
    /// </summary>
    private static TypeSyntax Spell(ITypeSymbol type, SemanticModel model, int position)
    {
        var minimal = SyntaxFactory.ParseTypeName(type.ToMinimalDisplayString(model, position, MinimalFormat));
        var bound = model.GetSpeculativeTypeInfo(position, minimal, SpeculativeBindingOption.BindAsTypeOrNamespace).Type;
        return !minimal.ContainsDiagnostics && SymbolEqualityComparer.Default.Equals(bound, type)
            ? minimal
            : SyntaxFactory.ParseTypeName(type.ToDisplayString(QualifiedFormat));
    }

    // x → x.Value.
    private static SyntaxNode ReadValue(IdentifierNameSyntax name) =>
        SyntaxFactory.MemberAccessExpression(
            SyntaxKind.SimpleMemberAccessExpression,
            name.WithoutTrivia(),
            SyntaxFactory.IdentifierName("Value")).WithTriviaFrom(name);

    /// <summary>
    /// Where the parameter's name also names a member (<c>new { x }</c>) or a tuple element (<c>(x, y)</c>), the node that
    /// must say that name once the read is <c>x.Value</c>, which would name it <c>Value</c>.
    /// </summary>
    private static SyntaxNode? NamedBy(IdentifierNameSyntax name) => name.Parent switch
    {
        AnonymousObjectMemberDeclaratorSyntax { NameEquals: null } member => member,
        ArgumentSyntax { NameColon: null, Parent: TupleExpressionSyntax tuple } argument
            when tuple.Arguments.Count(other => other.Expression is IdentifierNameSyntax same && same.Identifier.ValueText == name.Identifier.ValueText) == 1 => argument,
        _ => null,
    };
}
