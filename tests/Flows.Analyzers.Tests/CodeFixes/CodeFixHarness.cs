using System.Collections.Immutable;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Flows.CodeFixes;
using Flows.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Flows.Analyzers.Tests.CodeFixes;

/// <summary>
/// Applies every code action the Flows code fixes offer for a diagnostic, as the IDE would, and says what went wrong:
/// a fix that throws, leaves code that does not compile (user code and the generator's output for it), brings a new
/// Flows error, or leaves the diagnostic it was offered for at its place. Works on several files, so a fix that must
/// change another document can.
/// </summary>
/// <remarks>
/// Analysis is <see cref="CodeFixVerifier"/>'s: the compilation with the generator's output in it, the Flows
/// analyzers over it, compiler diagnostics included.
/// </remarks>
internal static class CodeFixHarness
{
    private static readonly ImmutableArray<MetadataReference> s_references =
        Basic.Reference.Assemblies.Net80.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(WorkflowAttribute).Assembly.Location))
            .ToImmutableArray();

    /// <summary>Every code fix of Flows.CodeFixes, found in the assembly so that a new one is checked without a test's help.</summary>
    public static readonly ImmutableArray<CodeFixProvider> Fixes = typeof(MakePartialCodeFix).Assembly.GetTypes()
        .Where(type => typeof(CodeFixProvider).IsAssignableFrom(type) && !type.IsAbstract && type.GetConstructor(Type.EmptyTypes) is not null)
        .OrderBy(type => type.Name, StringComparer.Ordinal)
        .Select(type => (CodeFixProvider)Activator.CreateInstance(type)!)
        .ToImmutableArray();

    /// <summary>What applying the fixes to one input found.</summary>
    public sealed class Report
    {
        public List<string> Failures { get; } = new();

        public int Diagnostics { get; set; }

        public int ActionsApplied { get; set; }

        public int FixAllApplied { get; set; }
    }

    public static Solution CreateSolution(IReadOnlyList<string> sources) =>
        CreateSolution(
            sources.Select((source, i) => (sources.Count == 1 ? "Test.cs" : $"Test{i}.cs", source)).ToArray(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            new CSharpParseOptions(LanguageVersion.Latest));

    /// <summary>One project of <paramref name="files"/> (path, text) compiled with the given options.</summary>
    public static Solution CreateSolution(IReadOnlyList<(string Path, string Text)> files, CSharpCompilationOptions options, CSharpParseOptions parseOptions)
    {
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Default,
            "Tests",
            "Tests",
            LanguageNames.CSharp,
            compilationOptions: options,
            parseOptions: parseOptions,
            metadataReferences: s_references));
        var solution = project.Solution;
        foreach (var (path, text) in files)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(project.Id), Path.GetFileName(path), SourceText.From(text), filePath: path);
        }

        return solution;
    }

    /// <summary>Every diagnostic of the project: the compiler's over user and generated code, and the Flows analyzers'.</summary>
    public static async Task<(Diagnostic[] Diagnostics, string? GeneratorFailure)> AnalyzeAsync(Project project)
    {
        var compilation = (await project.GetCompilationAsync())!;
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new WorkflowGenerator().AsSourceGenerator() }, parseOptions: (CSharpParseOptions)project.ParseOptions!);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics);
        var failure = driver.GetRunResult().Results.Select(result => result.Exception).FirstOrDefault(exception => exception is not null)?.ToString()
            ?? generatorDiagnostics.FirstOrDefault(d => d.Id is "CS8784" or "CS8785" || (d.Severity == DiagnosticSeverity.Error && d.Id != "FLOW017"))?.ToString();
        var withAnalyzers = generated.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new WorkflowAnalyzer(), new global::Flows.Analyzers.Concurrency.StepConcurrencyAnalyzer()));
        var diagnostics = await withAnalyzers.GetAllDiagnosticsAsync();
        return (diagnostics.OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start).ToArray(), failure);
    }

    public static bool IsFixable(Diagnostic diagnostic) => Fixes.Any(fix => fix.FixableDiagnosticIds.Contains(diagnostic.Id));

    /// <summary>
    /// Checks every code action offered for every diagnostic with <paramref name="targetId"/>, and FixAll in each
    /// document that has two or more of them.
    /// </summary>
    /// <param name="expectFix">Whether every such diagnostic must be offered a fix that removes it.</param>
    /// <param name="fixableMessage">
    /// When set, only the diagnostics whose message contains it must be offered a fix (FLOW008 has causes no fix is for);
    /// the fixes offered for the others are applied and checked all the same.
    /// </param>
    public static async Task<Report> CheckAsync(IReadOnlyList<string> sources, string targetId, bool expectFix, string? fixableMessage = null)
    {
        var report = new Report();
        var solution = CreateSolution(sources);
        var project = solution.Projects.Single();
        var (before, generatorFailure) = await AnalyzeAsync(project);
        if (generatorFailure is not null)
        {
            report.Failures.Add("The generator failed on the input: " + generatorFailure);
            return report;
        }

        // The input must be what the test means: the target diagnostic, and no other error.
        var targets = before.Where(d => d.Id == targetId && d.Location.IsInSource && project.GetDocument(d.Location.SourceTree) is not null).ToArray();
        var unexpected = before.Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != targetId).ToArray();
        if (targets.Length == 0 || unexpected.Length > 0)
        {
            report.Failures.Add($"The input is not a {targetId} case: {(targets.Length == 0 ? "no " + targetId : "other errors")}\n  " + string.Join("\n  ", unexpected.Select(Describe)));
            return report;
        }

        report.Diagnostics = targets.Length;
        bool Expected(Diagnostic diagnostic) => expectFix && (fixableMessage is null || diagnostic.GetMessage().Contains(fixableMessage, StringComparison.Ordinal));

        foreach (var diagnostic in targets)
        {
            var offered = 0;
            foreach (var result in await ApplyEachAsync(solution, project.GetDocument(diagnostic.Location.SourceTree)!, diagnostic, before, errorsBefore: false))
            {
                offered += result.Title is null ? 0 : 1;
                if (result.Threw is { } exception)
                {
                    report.Failures.Add(result.Title is null
                        ? $"{result.Fix} threw while offering a fix for {Describe(diagnostic)}:\n{exception}"
                        : $"{result.Fix} '{result.Title}' threw on {Describe(diagnostic)}:\n{exception}");
                    continue;
                }

                report.ActionsApplied++;
                if (result.Problems.Count > 0)
                {
                    report.Failures.Add($"{result.Fix} '{result.Title}' on {Describe(diagnostic)}:\n  " + string.Join("\n  ", result.Problems) + "\n" + await ChangedTextAsync(solution, result.Changed!));
                }
            }

            if (Expected(diagnostic) && offered == 0)
            {
                report.Failures.Add($"No fix offered for {Describe(diagnostic)}");
            }
        }

        // FixAll, where a document has two or more diagnostics and the fix declares a batch fixer.
        foreach (var group in targets.GroupBy(d => d.Location.SourceTree).Where(group => group.Count() >= 2))
        {
            var document = project.GetDocument(group.Key)!;
            foreach (var fix in Fixes.Where(fix => fix.FixableDiagnosticIds.Contains(targetId) && fix.GetFixAllProvider() is not null))
            {
                // FixAll fixes the diagnostics whose fix has the equivalence key of the one chosen (FLOW004 has one per
                // kind of blocking call).
                string? equivalenceKey = null;
                var sameFix = new List<Diagnostic>();
                foreach (var diagnostic in group)
                {
                    if ((await OfferedAsync(fix, document, diagnostic)).FirstOrDefault() is { } action
                        && (equivalenceKey is null || action.EquivalenceKey == equivalenceKey))
                    {
                        equivalenceKey = action.EquivalenceKey;
                        sameFix.Add(diagnostic);
                    }
                }

                if (equivalenceKey is null)
                {
                    continue;
                }

                Solution changed;
                try
                {
                    changed = await FixAllAsync(fix, document, equivalenceKey, group.ToArray());
                }
                catch (Exception exception)
                {
                    report.Failures.Add($"FixAll of {fix.GetType().Name} threw:\n{exception}");
                    continue;
                }

                report.FixAllApplied++;
                var fixedDiagnostics = sameFix.Where(Expected).ToArray();
                var problems = await CompareAsync(before, changed, fixedDiagnostics);
                if (problems.Count > 0)
                {
                    report.Failures.Add($"FixAll of {fix.GetType().Name} in {document.Name}:\n  " + string.Join("\n  ", problems) + "\n" + await ChangedTextAsync(solution, changed));
                }
            }
        }

        return report;
    }

    /// <summary>
    /// For the fuzz suite: applies every action offered for each of <paramref name="targets"/> (diagnostics of
    /// <paramref name="solution"/>'s project, analyzed as <paramref name="before"/>) and returns what went wrong, each
    /// with its class (the fix, and what it did) and the details.
    /// </summary>
    public static async Task<(int Applied, List<(string Class, string Detail)> Problems)> ApplyOfferedFixesAsync(Solution solution, Diagnostic[] before, IEnumerable<Diagnostic> targets)
    {
        var problems = new List<(string Class, string Detail)>();
        var applied = 0;
        var project = solution.Projects.Single();
        foreach (var diagnostic in targets)
        {
            var document = project.GetDocument(diagnostic.Location.SourceTree);
            if (document is null)
            {
                continue;
            }

            foreach (var result in await ApplyEachAsync(solution, document, diagnostic, before, errorsBefore: true))
            {
                if (result.Threw is { } exception)
                {
                    problems.Add((
                        $"code fix threw: {result.Fix} {diagnostic.Id} {exception.GetType().Name}",
                        result.Title is null
                            ? $"{result.Fix} threw while offering a fix for {Describe(diagnostic)}:\n{exception}"
                            : $"{result.Fix} '{result.Title}' threw on {Describe(diagnostic)}:\n{exception}"));
                    continue;
                }

                applied++;
                foreach (var problem in result.Problems)
                {
                    var what = problem.StartsWith("does not compile: ", StringComparison.Ordinal) ? "left code that does not compile: " + problem.Substring("does not compile: ".Length).Split(' ')[0]
                        : problem.StartsWith("the diagnostic is still there", StringComparison.Ordinal) ? "left its diagnostic"
                        : problem.StartsWith("the generator failed", StringComparison.Ordinal) ? "made the generator fail"
                        : "brought a new Flows error: " + problem.Split(' ')[1];
                    problems.Add(($"code fix {what} ({result.Fix} on {diagnostic.Id})", $"{result.Fix} '{result.Title}' on {Describe(diagnostic)}:\n  {problem}\n" + await ChangedTextAsync(solution, result.Changed!)));
                }
            }
        }

        return (applied, problems);
    }

    /// <summary>What one offered action did: it threw (while offering when <see cref="Title"/> is null), or changed the solution with these problems.</summary>
    private sealed record ActionResult(string Fix, string? Title, Exception? Threw, Solution? Changed, List<string> Problems);

    // Every action the fixes offer for one diagnostic, applied as the IDE would and compared with the analysis before.
    private static async Task<List<ActionResult>> ApplyEachAsync(Solution solution, Document document, Diagnostic diagnostic, Diagnostic[] before, bool errorsBefore)
    {
        var results = new List<ActionResult>();
        foreach (var fix in Fixes.Where(fix => fix.FixableDiagnosticIds.Contains(diagnostic.Id)))
        {
            var name = fix.GetType().Name;
            List<CodeAction> actions;
            try
            {
                actions = await OfferedAsync(fix, document, diagnostic);
            }
            catch (Exception exception)
            {
                results.Add(new ActionResult(name, null, exception, null, new List<string>()));
                continue;
            }

            foreach (var action in actions)
            {
                Solution changed;
                try
                {
                    changed = await ApplyAsync(action);
                }
                catch (Exception exception)
                {
                    results.Add(new ActionResult(name, action.Title, exception, null, new List<string>()));
                    continue;
                }

                var changedLines = errorsBefore ? await ChangedLinesAsync(solution, changed) : null;
                results.Add(new ActionResult(name, action.Title, null, changed, await CompareAsync(before, changed, new[] { diagnostic }, errorsBefore, changedLines)));
            }
        }

        return results;
    }

    public static async Task<List<CodeAction>> OfferedAsync(CodeFixProvider fix, Document document, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        return actions.SelectMany(Flatten).ToList();

        static IEnumerable<CodeAction> Flatten(CodeAction action) =>
            action.NestedActions.IsDefaultOrEmpty ? new[] { action } : action.NestedActions.SelectMany(Flatten);
    }

    public static async Task<Solution> ApplyAsync(CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        return operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
    }

    public static async Task<Solution> FixAllAsync(CodeFixProvider fix, Document document, string? equivalenceKey, IReadOnlyList<Diagnostic> diagnostics)
    {
        var context = new FixAllContext(
            document,
            fix,
            FixAllScope.Document,
            equivalenceKey,
            fix.FixableDiagnosticIds,
            new FixedDiagnostics(diagnostics),
            CancellationToken.None);
        var action = await fix.GetFixAllProvider()!.GetFixAsync(context);
        if (action is null)
        {
            throw new InvalidOperationException("FixAll produced no action.");
        }

        return await ApplyAsync(action);
    }

    /// <summary>
    /// What the change broke: compiler errors (in user or generated code), Flows errors that were not there before,
    /// a generator failure, and any of <paramref name="fixedDiagnostics"/> still reported.
    /// </summary>
    /// <param name="errorsBefore">
    /// For inputs with compiler errors of their own (the fuzz suite's): only errors beyond those of each ID before count.
    /// </param>
    /// <param name="changedLines">
    /// With <paramref name="errorsBefore"/>: the lines the fix wrote, per file. An input that already fails to compile, or
    /// has Flows errors that hide others (the parser reports some only when nothing else stops generation), shows those
    /// once the fix removes what hid them: only errors on lines the fix wrote are the fix's then.
    /// </param>
    public static async Task<List<string>> CompareAsync(Diagnostic[] before, Solution changed, IReadOnlyList<Diagnostic> fixedDiagnostics, bool errorsBefore = false, IReadOnlyDictionary<string, List<LinePositionSpan>>? changedLines = null)
    {
        var problems = new List<string>();
        var project = changed.Projects.Single();
        var (after, generatorFailure) = await AnalyzeAsync(project);
        if (generatorFailure is not null)
        {
            problems.Add("the generator failed: " + generatorFailure);
        }

        bool Written(Diagnostic d) =>
            changedLines is not null
            && d.Location.SourceTree is { } tree
            && changedLines.TryGetValue(tree.FilePath, out var lines)
            && lines.Any(span => d.Location.GetLineSpan().StartLinePosition.Line <= span.End.Line && d.Location.GetLineSpan().EndLinePosition.Line >= span.Start.Line);
        bool RestatesCompilerError(Diagnostic flowError) =>
            flowError.GetMessage().Contains("does not resolve")
            || before.Any(error => error.Severity == DiagnosticSeverity.Error
                && !error.Id.StartsWith("FLOW", StringComparison.Ordinal)
                && error.Location.SourceTree?.FilePath == flowError.Location.SourceTree?.FilePath
                && error.Location.SourceTree is { } tree
                && flowError.Location.SourceTree is { } afterTree
                && error.Location.GetLineSpan().StartLinePosition.Line == flowError.Location.GetLineSpan().StartLinePosition.Line
                && afterTree.GetText().ToString(flowError.Location.SourceSpan) is { Length: > 0 } text
                && tree.GetText().ToString(error.Location.SourceSpan) == text);
        var userErrorsBefore = before.Any(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("FLOW", StringComparison.Ordinal) && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == false);

        foreach (var errors in after.Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("FLOW", StringComparison.Ordinal)).GroupBy(d => d.Id))
        {
            var was = errorsBefore ? before.Count(d => d.Id == errors.Key && d.Severity == DiagnosticSeverity.Error) : 0;
            var counted = errorsBefore && userErrorsBefore ? errors.Where(Written).ToArray() : errors.ToArray();
            if (errors.Count() > was && counted.Length > 0)
            {
                problems.AddRange(counted.Select(error => "does not compile: " + Describe(error)));
            }
        }

        foreach (var id in after.Where(d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("FLOW", StringComparison.Ordinal)).Select(d => d.Id).Distinct())
        {
            var count = after.Count(d => d.Id == id);
            var was = before.Count(d => d.Id == id);
            // In an input that does not compile, a Flows error that restates a compiler error is that error seen again
            // once the fix removed what hid it: a type that does not resolve (a fix that broke a type would show as
            // CS0246 itself), or a Flows error on the very code (same line, same text) the compiler rejected before the fix.
            var counted = errorsBefore
                ? after.Where(d => d.Id == id && Written(d) && !(userErrorsBefore && RestatesCompilerError(d))).ToArray()
                : after.Where(d => d.Id == id).ToArray();
            if (count > was && counted.Length > 0)
            {
                problems.Add($"{count} {id} after the fix, {was} before: " + string.Join("; ", counted.Select(Describe)));
            }
        }

        // Each fixed diagnostic is gone: of the diagnostics with its ID and message in its file (a step with two blocking
        // calls of one kind has two alike), there are fewer by as many as were fixed. Text positions move with the fix,
        // and a text diff may place a change across a neighbour, so this counts rather than maps spans.
        foreach (var alike in fixedDiagnostics.GroupBy(d => (d.Id, Path: d.Location.SourceTree?.FilePath, Message: d.GetMessage())))
        {
            var (id, path, message) = alike.Key;
            bool Same(Diagnostic d) => d.Id == id && d.Location.SourceTree?.FilePath == path && d.GetMessage() == message;
            var was = before.Count(Same);
            var remaining = after.Where(Same).ToArray();
            if (remaining.Length > was - alike.Count())
            {
                problems.Add($"the diagnostic is still there ({was} before, {remaining.Length} after, {alike.Count()} fixed): " + string.Join("; ", remaining.Select(Describe)));
            }
        }

        return problems;
    }

    /// <summary>The lines of each changed file that the change wrote (in the changed text), by file path.</summary>
    public static async Task<Dictionary<string, List<LinePositionSpan>>> ChangedLinesAsync(Solution original, Solution changed)
    {
        var lines = new Dictionary<string, List<LinePositionSpan>>(StringComparer.Ordinal);
        foreach (var id in changed.GetChanges(original).GetProjectChanges().SelectMany(p => p.GetChangedDocuments()))
        {
            // The document's own diff (by syntax), not the texts' change ranges: a text made from a new tree shares no
            // history with the old one, so its change range would be the whole file.
            var newText = await changed.GetDocument(id)!.GetTextAsync();
            var spans = new List<LinePositionSpan>();
            var delta = 0;
            foreach (var change in (await changed.GetDocument(id)!.GetTextChangesAsync(original.GetDocument(id)!)).OrderBy(change => change.Span.Start))
            {
                var start = change.Span.Start + delta;
                var length = change.NewText?.Length ?? 0;
                spans.Add(newText.Lines.GetLinePositionSpan(new TextSpan(start, Math.Min(length, newText.Length - start))));
                delta += length - change.Span.Length;
            }

            lines[changed.GetDocument(id)!.FilePath ?? changed.GetDocument(id)!.Name] = spans;
        }

        return lines;
    }

    private static async Task<string> ChangedTextAsync(Solution original, Solution changed)
    {
        var text = new StringBuilder();
        foreach (var id in changed.GetChanges(original).GetProjectChanges().SelectMany(p => p.GetChangedDocuments()))
        {
            text.Append("--- ").Append(changed.GetDocument(id)!.Name).Append(" after the fix:\n")
                .Append((await changed.GetDocument(id)!.GetTextAsync()).ToString()).Append('\n');
        }

        return text.ToString();
    }

    public static string Describe(Diagnostic diagnostic) =>
        $"{diagnostic.Id} {diagnostic.Location.SourceTree?.FilePath}{diagnostic.Location.SourceSpan} '{diagnostic.Location.SourceTree?.GetText().ToString(diagnostic.Location.SourceSpan)}': {diagnostic.GetMessage()}";

    private sealed class FixedDiagnostics(IReadOnlyList<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken);
            return diagnostics.Where(d => d.Location.SourceTree == tree);
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(Array.Empty<Diagnostic>());
    }
}
