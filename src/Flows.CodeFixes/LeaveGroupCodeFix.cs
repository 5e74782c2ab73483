using System.Composition;
using Flows.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.CodeFixes;

/// <summary>
/// FLOW001: takes the consuming step (the member whose parameter or foreach source is flagged) out of its parallel
/// group, so it runs as a stage of its own after the group. Where the method is marked only <c>[Parallel]</c>, it keeps
/// being a step: <c>[Step]</c> replaces it. Group options written on its <c>[Parallel]</c> (<c>Failure</c>,
/// <c>TimeoutMilliseconds</c>, …) move to another member's, so the group keeps them.
/// </summary>
/// <remarks>
/// Offered only where leaving resolves the dependency: under sequential scheduling a group runs at its first member,
/// so the consumer must be declared after another member of its group, and no step declared before it may consume it
/// (it would then consume a later step, FLOW006). Every step of the workflow must be in this document, whose order
/// is then the order of the steps.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LeaveGroupCodeFix)), Shared]
public sealed class LeaveGroupCodeFix : CodeFixProvider
{
    private const string ParallelAttributeName = "Flows.ParallelAttribute";
    private const string StepAttributeName = "Flows.StepAttribute";
    private const string ForEachAttributeName = "Flows.ParallelForEachAttribute";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.DependentParallelSteps);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span).FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method
            || model?.GetDeclaredSymbol(method, context.CancellationToken) is not { } consumer
            || Plan(method, consumer, model, context.CancellationToken) is not { } plan)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Run '{method.Identifier.ValueText}' after its group",
                    cancellationToken => LeaveGroupAsync(context.Document, plan, model, cancellationToken),
                    equivalenceKey: nameof(LeaveGroupCodeFix)),
                diagnostic);
        }
    }

    /// <param name="consumer">The method that leaves its group.</param>
    /// <param name="parallel">Its <c>[Parallel]</c>.</param>
    /// <param name="isStepOtherwise">It keeps <c>[Step]</c> or <c>[ParallelForEach]</c> when <c>[Parallel]</c> goes.</param>
    /// <param name="optionsTarget">The <c>[Parallel]</c> of another member that takes the group options, when it had some.</param>
    /// <param name="keepOutcome">
    /// The group is <c>ContinueOnError</c>, so the consumer's output is an <c>Outcome&lt;T&gt;</c>: its <c>[Step]</c> gets
    /// <c>ContinueOnError = true</c>, so that it stays one for the steps that consume it.
    /// </param>
    private sealed class LeavePlan(MethodDeclarationSyntax consumer, AttributeSyntax parallel, bool isStepOtherwise, AttributeSyntax? optionsTarget, bool keepOutcome)
    {
        public bool KeepOutcome { get; } = keepOutcome;

        /// <summary>Its <c>[Step]</c>, when it has one.</summary>
        public AttributeSyntax? Step { get; set; }

        public MethodDeclarationSyntax Consumer { get; } = consumer;

        public AttributeSyntax Parallel { get; } = parallel;

        public bool IsStepOtherwise { get; } = isStepOtherwise;

        public AttributeSyntax? OptionsTarget { get; } = optionsTarget;
    }

    private static LeavePlan? Plan(MethodDeclarationSyntax method, IMethodSymbol consumer, SemanticModel model, CancellationToken cancellationToken)
    {
        var parallel = FindAttribute(method, model, ParallelAttributeName, cancellationToken);
        if (parallel is null || GroupOf(consumer) is not { } group)
        {
            return null;
        }

        // The steps of the workflow in declaration order, all in this document.
        var steps = new List<(IMethodSymbol Symbol, MethodDeclarationSyntax Syntax)>();
        foreach (var member in consumer.ContainingType.GetMembers().OfType<IMethodSymbol>())
        {
            if (!member.GetAttributes().Any(attribute => attribute.AttributeClass?.ToDisplayString() is StepAttributeName or ParallelAttributeName or ForEachAttributeName))
            {
                continue;
            }

            if (member.DeclaringSyntaxReferences.Length != 1
                || member.DeclaringSyntaxReferences[0].SyntaxTree != method.SyntaxTree
                || member.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax syntax)
            {
                return null;
            }

            steps.Add((member, syntax));
        }

        steps.Sort((a, b) => a.Syntax.SpanStart.CompareTo(b.Syntax.SpanStart));
        var index = steps.FindIndex(step => SymbolEqualityComparer.Default.Equals(step.Symbol, consumer));
        var others = steps.Where(step => !SymbolEqualityComparer.Default.Equals(step.Symbol, consumer) && GroupOf(step.Symbol) == group).ToList();
        if (index < 0 || others.Count == 0 || others[0].Syntax.SpanStart > method.SpanStart)
        {
            // The group would run at its next member, after the consumer.
            return null;
        }

        var outputName = Flows.Generator.Parsing.ParameterNames.OutputNameOf(consumer.Name);
        for (var i = 0; i < index; i++)
        {
            if (MayConsume(steps[i].Symbol, consumer.Name, outputName))
            {
                return null;
            }
        }

        // Group options stay with the group: the first other member whose [Parallel] sets none of them takes them.
        var options = OptionNames(parallel);
        AttributeSyntax? target = null;
        if (options.Count > 0)
        {
            foreach (var other in others)
            {
                if (FindAttribute(other.Syntax, model, ParallelAttributeName, cancellationToken) is { } candidate
                    && !OptionNames(candidate).Overlaps(options)
                    && candidate.ArgumentList is { Arguments.Count: > 0 })
                {
                    target = candidate;
                    break;
                }
            }

            if (target is null)
            {
                return null;
            }
        }

        // A ContinueOnError group hands out Outcome<T>s: the consumer keeps its kind of output, or the fix is not
        // offered (a foreach's ContinueOnError means something else; too few members left for MinSuccessCount).
        var keepOutcome = false;
        var members = others.Select(other => other.Symbol).Append(consumer).ToArray();
        if (members.Any(member => GroupOption(member, "Failure") == ContinueOnErrorPolicy))
        {
            var step = FindAttribute(method, model, StepAttributeName, cancellationToken);
            if (FindAttribute(method, model, ForEachAttributeName, cancellationToken) is not null
                || members.Max(member => GroupOption(member, "MinSuccessCount") ?? 0) > others.Count
                || step?.ArgumentList?.Arguments.Any(argument => argument.NameEquals?.Name.Identifier.ValueText == "ContinueOnError") == true)
            {
                return null;
            }

            keepOutcome = true;
        }

        var isStepOtherwise = FindAttribute(method, model, StepAttributeName, cancellationToken) is not null
            || FindAttribute(method, model, ForEachAttributeName, cancellationToken) is not null;
        return new LeavePlan(method, parallel, isStepOtherwise, target, keepOutcome) { Step = FindAttribute(method, model, StepAttributeName, cancellationToken) };
    }

    private const int ContinueOnErrorPolicy = 2; // Flows.FailurePolicy.ContinueOnError

    // A named option of the method's [Parallel], when it is a constant int (an enum value included).
    private static int? GroupOption(IMethodSymbol method, string name) =>
        method.GetAttributes().FirstOrDefault(attribute => attribute.AttributeClass?.ToDisplayString() == ParallelAttributeName) is { } parallel
        && parallel.NamedArguments.FirstOrDefault(named => named.Key == name).Value.Value is int value
            ? value
            : null;

    private static string? GroupOf(IMethodSymbol method) =>
        method.GetAttributes().FirstOrDefault(attribute => attribute.AttributeClass?.ToDisplayString() == ParallelAttributeName) is { ConstructorArguments.Length: 1 } parallel
            ? parallel.ConstructorArguments[0].Value as string
            : null;

    /// <summary>
    /// Whether <paramref name="step"/> may consume the step named <paramref name="name"/>: a parameter named after its
    /// output, or any string an attribute of the step or its parameters gives (a source, [FromStep], [After]).
    /// </summary>
    private static bool MayConsume(IMethodSymbol step, string name, string outputName)
    {
        bool Names(string? text) =>
            text is not null && (string.Equals(text, name, StringComparison.OrdinalIgnoreCase) || string.Equals(text, outputName, StringComparison.OrdinalIgnoreCase));

        bool AttributesName(IEnumerable<AttributeData> attributes) =>
            attributes.Any(attribute => attribute.ConstructorArguments.Concat(attribute.NamedArguments.Select(named => named.Value))
                .Any(argument => argument.Kind == TypedConstantKind.Array
                    ? argument.Values.Any(value => Names(value.Value as string))
                    : Names(argument.Value as string)));

        // A token or a context binds as such whatever its name.
        static bool BindsByName(IParameterSymbol parameter) =>
            parameter.Type.ToDisplayString() is not ("System.Threading.CancellationToken" or "Flows.StepContext");

        return step.Parameters.Any(parameter => (BindsByName(parameter) && Names(parameter.Name)) || AttributesName(parameter.GetAttributes()))
            || AttributesName(step.GetAttributes());
    }

    private static HashSet<string> OptionNames(AttributeSyntax attribute) =>
        new(attribute.ArgumentList?.Arguments
                .Where(argument => argument.NameEquals is not null)
                .Select(argument => argument.NameEquals!.Name.Identifier.ValueText)
            ?? Enumerable.Empty<string>());

    private static AttributeSyntax? FindAttribute(MethodDeclarationSyntax method, SemanticModel model, string metadataName, CancellationToken cancellationToken)
    {
        foreach (var list in method.AttributeLists)
        {
            foreach (var attribute in list.Attributes)
            {
                if (model.GetSymbolInfo(attribute, cancellationToken).Symbol?.ContainingType is { } type
                    && type.ToDisplayString() == metadataName)
                {
                    return attribute;
                }
            }
        }

        return null;
    }

    private static async Task<Document> LeaveGroupAsync(Document document, LeavePlan plan, SemanticModel model, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var parallel = plan.Parallel;
        var list = (AttributeListSyntax)parallel.Parent!;
        var newRoot = root.TrackNodes(new SyntaxNode?[] { list, parallel, plan.OptionsTarget, plan.Step }.OfType<SyntaxNode>());
        if (plan.OptionsTarget is { } target && newRoot.GetCurrentNode(target) is { ArgumentList: { } arguments } current)
        {
            var moved = parallel.ArgumentList!.Arguments.Where(argument => argument.NameEquals is not null).Select(argument => argument.WithoutTrivia());
            newRoot = newRoot.ReplaceNode(current, current.WithArgumentList(arguments.WithArguments(arguments.Arguments.AddRange(moved))));
        }

        var continueOnError = SyntaxFactory.AttributeArgument(
            SyntaxFactory.NameEquals(SyntaxFactory.IdentifierName("ContinueOnError")),
            null,
            SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression)).NormalizeWhitespace();
        if (plan.KeepOutcome && plan.Step is { } stepAttribute && newRoot.GetCurrentNode(stepAttribute) is { } currentStep)
        {
            var stepArguments = currentStep.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
            newRoot = newRoot.ReplaceNode(currentStep, currentStep.WithArgumentList(stepArguments.WithArguments(stepArguments.Arguments.Add(continueOnError))));
        }

        if (!plan.IsStepOtherwise)
        {
            // [Parallel("g")] alone made the method a step: [Step] keeps it one.
            var step = SyntaxFactory.Attribute(StepName(model, parallel.SpanStart));
            if (plan.KeepOutcome)
            {
                step = step.WithArgumentList(SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(continueOnError)));
            }

            newRoot = newRoot.ReplaceNode(newRoot.GetCurrentNode(parallel)!, step.WithTriviaFrom(parallel));
        }
        else if (list.Attributes.Count > 1)
        {
            var currentList = newRoot.GetCurrentNode(list)!;
            newRoot = newRoot.ReplaceNode(currentList, currentList.WithAttributes(currentList.Attributes.RemoveAt(list.Attributes.IndexOf(parallel))));
        }
        else
        {
            // The list goes with its line when it had one of its own; what stood before it (indentation, a doc comment)
            // stays before what follows.
            var currentList = newRoot.GetCurrentNode(list)!;
            var next = currentList.GetLastToken().GetNextToken();
            var previous = currentList.GetFirstToken().GetPreviousToken();
            var ownLine = currentList.GetTrailingTrivia().Any(trivia => trivia.IsKind(SyntaxKind.EndOfLineTrivia));
            var leading = ownLine
                ? currentList.GetLeadingTrivia()
                : currentList.GetLeadingTrivia()
                    .AddRange(previous.TrailingTrivia.Count == 0 ? currentList.GetTrailingTrivia() : SyntaxTriviaList.Empty)
                    .AddRange(next.LeadingTrivia);
            newRoot = newRoot.ReplaceToken(next, next.WithLeadingTrivia(leading));
            newRoot = newRoot.RemoveNode(newRoot.GetCurrentNode(list)!, SyntaxRemoveOptions.KeepNoTrivia)!;
        }

        return document.WithSyntaxRoot(newRoot);
    }

    /// <summary><c>Step</c> where that name means Flows' attribute here, <c>Flows.Step</c> or <c>global::Flows.Step</c> otherwise.</summary>
    private static NameSyntax StepName(SemanticModel model, int position)
    {
        var step = model.LookupNamespacesAndTypes(position, name: "Step");
        if (step.Length == 0 && Names.Type(model, position, "Flows", "StepAttribute") is IdentifierNameSyntax)
        {
            return SyntaxFactory.IdentifierName("Step");
        }

        // An attribute name binds to NameAttribute too, so the qualified Flows.Step means Flows.StepAttribute.
        return SyntaxFactory.QualifiedName(Names.Namespace(model, position, "Flows"), SyntaxFactory.IdentifierName("Step"));
    }
}
