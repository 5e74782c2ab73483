using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.CodeFixes;

/// <summary>
/// How a code fix spells a name it writes: an identifier escaped where it is a keyword, a type by its short name
/// only where that name means the type at the place it lands. No fix builds code from a symbol's name without these.
/// </summary>
internal static class Names
{
    /// <summary>
    /// <paramref name="name"/> as an identifier token that reads back as the same name: <c>@</c> before a keyword, and
    /// before a contextual keyword (always legal, and needed for <c>await</c> in an async method).
    /// </summary>
    public static SyntaxToken Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None
            ? SyntaxFactory.Identifier(default, SyntaxKind.IdentifierToken, "@" + name, name, default)
            : SyntaxFactory.Identifier(name);

    /// <summary>A reference to <paramref name="name"/>, escaped as <see cref="Identifier"/> does.</summary>
    public static IdentifierNameSyntax IdentifierName(string name) => SyntaxFactory.IdentifierName(Identifier(name));

    /// <summary>
    /// A type from <paramref name="namespaceName"/> (dotted, no <c>global::</c>), written by its simple name when that
    /// name finds exactly this type at <paramref name="position"/>, qualified as <see cref="Namespace"/> says otherwise.
    /// </summary>
    public static NameSyntax Type(SemanticModel model, int position, string namespaceName, string typeName, int arity = 0, TypeArgumentListSyntax? typeArguments = null)
    {
        SimpleNameSyntax simple = typeArguments is null
            ? SyntaxFactory.IdentifierName(Identifier(typeName))
            : SyntaxFactory.GenericName(Identifier(typeName), typeArguments);
        // Every symbol the simple name could mean here (members too: a property named Task hides the type in an
        // expression): the type itself, or types of another arity, which the type arguments tell apart.
        var found = model.LookupSymbols(position, name: typeName);
        var means = found.Where(symbol => !(symbol is INamedTypeSymbol other && other.Arity != arity)).ToList();
        if (means.Count == 1
            && means[0] is INamedTypeSymbol { ContainingType: null } type
            && type.Arity == arity
            && type.ContainingNamespace.ToDisplayString() == namespaceName)
        {
            return simple;
        }

        return SyntaxFactory.QualifiedName(Namespace(model, position, namespaceName), simple);
    }

    /// <summary>
    /// A namespace as written at <paramref name="position"/>: <c>System.Threading.Tasks</c> where <c>System</c> means
    /// the global namespace <c>System</c> there, <c>global::System.Threading.Tasks</c> where something else takes the name
    /// (a <c>Shop.System</c> namespace, a type or member named <c>System</c>).
    /// </summary>
    public static NameSyntax Namespace(SemanticModel model, int position, string namespaceName)
    {
        var parts = namespaceName.Split('.');
        var outermost = model.LookupNamespacesAndTypes(position, name: parts[0]);
        NameSyntax qualified = SyntaxFactory.IdentifierName(Identifier(parts[0]));
        if (!(outermost.Length == 1 && outermost[0] is INamespaceSymbol { ContainingNamespace.IsGlobalNamespace: true })
            || model.LookupSymbols(position, name: parts[0]).Length != 1)
        {
            qualified = SyntaxFactory.AliasQualifiedName(SyntaxFactory.IdentifierName(SyntaxFactory.Token(SyntaxKind.GlobalKeyword)), (IdentifierNameSyntax)qualified);
        }

        foreach (var part in parts.Skip(1))
        {
            qualified = SyntaxFactory.QualifiedName(qualified, SyntaxFactory.IdentifierName(Identifier(part)));
        }

        return qualified;
    }
}
