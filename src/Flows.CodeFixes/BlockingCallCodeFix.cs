using System.Composition;
using Flows.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.CodeFixes;

/// <summary>
/// FLOW004: in an <c>async</c> step, a blocking wait becomes an <c>await</c>: <c>t.Result</c>, <c>t.Wait()</c> and
/// <c>t.GetAwaiter().GetResult()</c> become <c>await t</c>; <c>Thread.Sleep(n)</c> becomes <c>await Task.Delay(n, token)</c>
/// with the step's <c>CancellationToken</c> parameter when it has one (its name escaped where it is a keyword). Offered
/// only where the result compiles and means the same: the call sits in the step's own body (not a lambda, local
/// function, <c>lock</c>, query, unsafe code or catch filter), the step is <c>async</c>, <c>Wait</c> takes no timeout,
/// and the awaited task is not reached through <c>?.</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingCallCodeFix)), Shared]
public sealed class BlockingCallCodeFix : CodeFixProvider
{
    // Set by StepConcurrencyAnalyzer (Flows.Analyzers) on a FLOW004 reported at the blocking call itself.
    private const string BlockingKindProperty = "BlockingKind";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.BlockingCall);

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
            if (!diagnostic.Properties.TryGetValue(BlockingKindProperty, out var kind) || kind is null)
            {
                continue;
            }

            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax node
                || EnclosingAsyncMethod(node) is not { } method)
            {
                continue;
            }

            var awaited = kind switch
            {
                "Result" when node is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" } access => access.Expression,
                "Wait" when node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access, ArgumentList.Arguments.Count: 0 } => access.Expression,
                "GetResult" when node is InvocationExpressionSyntax
                {
                    Expression: MemberAccessExpressionSyntax
                    {
                        Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter" } getAwaiter },
                    },
                } => getAwaiter.Expression,
                _ => null,
            };

            if (awaited is not null && !StartsWithBinding(awaited))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Await the task",
                        cancellationToken => ReplaceAsync(context.Document, node, Await(awaited, node), cancellationToken),
                        equivalenceKey: nameof(BlockingCallCodeFix) + kind),
                    diagnostic);
            }
            else if (kind == "Sleep" && node is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } sleep)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Use await Task.Delay",
                        cancellationToken => DelayAsync(context.Document, sleep, method, cancellationToken),
                        equivalenceKey: nameof(BlockingCallCodeFix) + kind),
                    diagnostic);
            }
        }
    }

    /// <summary>The <c>async</c> method whose own body holds <paramref name="node"/>, where an <c>await</c> may go.</summary>
    private static MethodDeclarationSyntax? EnclosingAsyncMethod(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case MethodDeclarationSyntax method:
                    return method.Modifiers.Any(SyntaxKind.AsyncKeyword) && !method.Modifiers.Any(SyntaxKind.UnsafeKeyword) ? method : null;
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or LockStatementSyntax or QueryExpressionSyntax:
                    return null;
                case UnsafeStatementSyntax or CatchFilterClauseSyntax:
                    // No await in an unsafe context (CS4004) or a catch filter (CS7094).
                    return null;
                case TypeDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    /// <summary>
    /// <c>a?.Task.Result</c>: the awaited <c>.Task</c> only means something under its <c>?.</c>, and <c>await .Task</c>
    /// is not C#.
    /// </summary>
    private static bool StartsWithBinding(ExpressionSyntax expression)
    {
        var leftmost = expression;
        while (true)
        {
            switch (leftmost)
            {
                case MemberAccessExpressionSyntax access:
                    leftmost = access.Expression;
                    continue;
                case InvocationExpressionSyntax invocation:
                    leftmost = invocation.Expression;
                    continue;
                case ElementAccessExpressionSyntax element:
                    leftmost = element.Expression;
                    continue;
                case PostfixUnaryExpressionSyntax postfix:
                    leftmost = postfix.Operand;
                    continue;
                case ConditionalAccessExpressionSyntax conditional:
                    leftmost = conditional.Expression;
                    continue;
            }

            return leftmost is MemberBindingExpressionSyntax or ElementBindingExpressionSyntax;
        }
    }

    private static ExpressionSyntax Await(ExpressionSyntax task, ExpressionSyntax replaced)
    {
        ExpressionSyntax awaitExpression = SyntaxFactory.AwaitExpression(task.WithoutTrivia());

        // `t.Result.Length` becomes `(await t).Length`; an await binds tighter than any binary operator, so `t.Result + 1`
        // becomes `await t + 1`.
        if (replaced.Parent is MemberAccessExpressionSyntax or ConditionalAccessExpressionSyntax or ElementAccessExpressionSyntax
            or InvocationExpressionSyntax or PostfixUnaryExpressionSyntax)
        {
            awaitExpression = SyntaxFactory.ParenthesizedExpression(awaitExpression);
        }

        return awaitExpression.WithTriviaFrom(replaced);
    }

    private static async Task<Document> ReplaceAsync(Document document, SyntaxNode node, SyntaxNode replacement, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return root is null ? document : document.WithSyntaxRoot(root.ReplaceNode(node, replacement));
    }

    private static async Task<Document> DelayAsync(Document document, InvocationExpressionSyntax sleep, MethodDeclarationSyntax method, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null)
        {
            return document;
        }

        // The step's own token, when it takes one, so that cancelling the run ends the wait.
        var token = model.GetDeclaredSymbol(method, cancellationToken) is { } symbol
            ? symbol.Parameters.FirstOrDefault(p => p.Type is { Name: "CancellationToken", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } })
            : null;

        // `Task` when that name means System.Threading.Tasks.Task here, global::System.Threading.Tasks.Task otherwise.
        var task = Names.Type(model, sleep.SpanStart, "System.Threading.Tasks", "Task");

        // Positional: Thread.Sleep's parameter names (millisecondsTimeout, timeout) are not Task.Delay's.
        var arguments = SyntaxFactory.SeparatedList(sleep.ArgumentList.Arguments.Select(argument => argument.WithNameColon(null).WithoutLeadingTrivia()));
        if (token is not null)
        {
            arguments = arguments.Add(SyntaxFactory.Argument(Names.IdentifierName(token.Name)));
        }

        var delay = SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, task, SyntaxFactory.IdentifierName("Delay")),
            SyntaxFactory.ArgumentList(arguments));
        return await ReplaceAsync(document, sleep, Await(delay, sleep), cancellationToken).ConfigureAwait(false);
    }
}
