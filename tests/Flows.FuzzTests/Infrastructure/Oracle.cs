using System.Text;
using System.Threading;
using Flows.Analyzers;
using Flows.Analyzers.Concurrency;
using Flows.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Flows.FuzzTests.Infrastructure;

/// <summary>One broken invariant.</summary>
/// <param name="Invariant">The invariant's short name (<see cref="Invariants"/>).</param>
/// <param name="Key">The failure class: the invariant plus what distinguishes the cause (a diagnostic ID, an exception type).</param>
/// <param name="Message">What was seen, with enough context to start debugging.</param>
internal sealed record Finding(string Invariant, string Key, string Message);

/// <summary>The invariant names findings use.</summary>
internal static class Invariants
{
    public const string GeneratorThrew = "I1 generator threw";
    public const string AnalyzerThrew = "I1 analyzer threw";
    public const string GeneratedCodeError = "I2 generated code has an error";
    public const string GeneratedCodeWarning = "I2 generated code has a diagnostic";
    public const string UserCodeBroken = "I2 user code broken by generated code";
    public const string NotGeneratedNoFlowError = "I3 no RunAsync and no FLOW error";
    public const string GeneratedDespiteFlowError = "I4 generated despite a FLOW error";
    public const string NotDeterministic = "I5 two fresh runs differ";
    public const string IncrementalDiffers = "I5 incremental run differs from a fresh run";
    public const string ValidInputRejected = "S valid synthesized workflow rejected";
    public const string DurableDespiteDurableError = "I4d Durable class generated despite FLOW015/FLOW016";
    public const string DurableMissing = "I3d Durable = true, no FLOW error, no Durable class";
    public const string CodeFix = "I6";
    public const string NotGeneratedReport = "I7 FLOW017";
}

/// <summary>What the oracle observed about one input, beside the findings: the counts the run reports.</summary>
internal sealed class Observation
{
    public List<Finding> Findings { get; } = new();

    public int Workflows { get; set; }

    public int Generated { get; set; }

    public int RejectedWithFlowError { get; set; }

    /// <summary>Workflows without RunAsync and without a FLOW error whose file has compiler errors of its own.</summary>
    public int NotGeneratedUserErrorsOnly { get; set; }

    public bool UserCodeHasErrors { get; set; }

    public bool BoundEverything { get; set; }

    /// <summary>Flows diagnostics whose offered code fixes were applied (invariant 6), and the actions applied.</summary>
    public int FixTargets { get; set; }

    public int FixesApplied { get; set; }
}

/// <summary>
/// Runs the generator and the analyzers over one input and checks the invariants of the fuzz suite:
/// <list type="number">
/// <item>the generator and the analyzers never throw;</item>
/// <item>user code without errors of its own plus generated code compiles with no error, and nothing at all is reported in a generated file;</item>
/// <item>a <c>[Workflow]</c> class the generator skipped has a FLOW error (or compiler errors of its own, counted apart);</item>
/// <item>a workflow with a FLOW error is not generated;</item>
/// <item>generation is deterministic, and an incremental run equals a fresh one;</item>
/// <item>every code fix offered for a Flows diagnostic applies, compiles and removes it (<see cref="FixChecker"/>).</item>
/// </list>
/// Cheap checks come first; the one full binding of the program (compiler diagnostics and analyzers together) is shared.
/// </summary>
internal static class Oracle
{
    public const string GeneratedSuffix = ".Flows.g.cs";

    /// <summary>Compiler errors that mention only what the generator adds are not errors of the user's own.</summary>
    private static readonly string[] s_generatedMemberNames = { "RunAsync", "MermaidDiagram", "OnStepStarting", "OnStepCompleted", "OnStepFailed", "Durable" };

    private static readonly ImmutableArray<MetadataReference> s_references =
        Basic.Reference.Assemblies.Net80.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(WorkflowAttribute).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(Flows.DurableTask.DurableStepException).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(Microsoft.DurableTask.TaskOrchestrationContext).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(Microsoft.DurableTask.Client.DurableTaskClient).Assembly.Location))
            .ToImmutableArray();

    // One empty compilation per setting: every input is added to it, so all share its bound references.
    private static readonly Dictionary<FuzzSettings, CSharpCompilation> s_empty = FuzzSettings.All.ToDictionary(
        settings => settings,
        settings => CSharpCompilation.Create(
            "Fuzz",
            Array.Empty<SyntaxTree>(),
            s_references,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: settings.Nullable ? NullableContextOptions.Enable : NullableContextOptions.Disable,
                allowUnsafe: true, // So that pointer types reach the generator rather than stopping at CS0227.
                warningLevel: 9999,
                deterministic: true)));

    private static readonly ISourceGenerator s_generator = new WorkflowGenerator().AsSourceGenerator();

    private static readonly ImmutableArray<DiagnosticAnalyzer> s_declarationAnalyzer = ImmutableArray.Create<DiagnosticAnalyzer>(new WorkflowAnalyzer());
    private static readonly ImmutableArray<DiagnosticAnalyzer> s_allAnalyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new WorkflowAnalyzer(), new StepConcurrencyAnalyzer());

    /// <summary>Binds the references once, before the clock of a timed run starts.</summary>
    public static void Warm()
    {
        foreach (var compilation in s_empty.Values)
        {
            _ = compilation.GetTypeByMetadataName("Flows.WorkflowAttribute");
            _ = compilation.GetSpecialType(SpecialType.System_Object).GetMembers();
        }
    }

    private static CSharpCompilation Compile(ImmutableArray<FuzzFile> files, FuzzSettings settings) =>
        s_empty[settings].AddSyntaxTrees(files.Select(file => CSharpSyntaxTree.ParseText(file.Text, settings.ParseOptions, file.Path)));

    private static GeneratorDriver NewDriver(FuzzSettings settings) =>
        CSharpGeneratorDriver.Create(new[] { s_generator }, parseOptions: settings.ParseOptions);

    /// <summary>For a replay: the generated files and every diagnostic of the program with them, at warning or above.</summary>
    public static string Explain(FuzzInput input)
    {
        var compilation = Compile(input.Files, input.Settings);
        NewDriver(input.Settings).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var text = new StringBuilder();
        text.Append(DescribeDiagnostics(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Take(20)));
        foreach (var tree in output.SyntaxTrees.Where(IsGenerated))
        {
            text.Append("===== ").Append(tree.FilePath).Append(" =====\n");
            var lines = tree.GetText().ToString().Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                text.Append((i + 1).ToString("D4", System.Globalization.CultureInfo.InvariantCulture)).Append("  ").Append(lines[i]).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <param name="raceAnalysis">Also run the race analyzer (FLOW002-004), which binds every step body: slower.</param>
    /// <summary>Seconds spent per phase over all checks, for the run's report.</summary>
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, double> PhaseSeconds = new(StringComparer.Ordinal);

    private static void Lap(System.Diagnostics.Stopwatch watch, string phase)
    {
        PhaseSeconds.AddOrUpdate(phase, watch.Elapsed.TotalSeconds, (_, total) => total + watch.Elapsed.TotalSeconds);
        watch.Restart();
    }

    public static Observation Check(FuzzInput input, bool raceAnalysis, bool fixes = true, CancellationToken cancellationToken = default)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var observation = new Observation();
        var settings = input.Settings;
        var compilation = Compile(input.Files, settings);

        // 1. The generator, fresh.
        var driver = NewDriver(settings).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var driverDiagnostics, cancellationToken);
        var run = driver.GetRunResult();
        var threw = false;
        foreach (var result in run.Results)
        {
            if (result.Exception is { } exception)
            {
                threw = true;
                observation.Findings.Add(new Finding(Invariants.GeneratorThrew, $"{Invariants.GeneratorThrew}: {exception.GetType().Name} at {TopFrame(exception)}", exception.ToString()));
            }
        }

        foreach (var diagnostic in driverDiagnostics.Concat(run.Diagnostics).Where(d => d.Id is "CS8784" or "CS8785"))
        {
            if (!threw)
            {
                observation.Findings.Add(new Finding(Invariants.GeneratorThrew, $"{Invariants.GeneratorThrew}: {diagnostic.Id}", diagnostic.ToString()));
                threw = true;
            }
        }

        var fresh = GeneratedTexts(run);
        Lap(watch, "generator");

        // 5. Deterministic: a second driver over a second compilation of the same text writes the same files.
        var again = GeneratedTexts(NewDriver(settings).RunGenerators(Compile(input.Files, settings), cancellationToken).GetRunResult());
        if (Difference(fresh, again) is { } nondeterminism)
        {
            observation.Findings.Add(new Finding(Invariants.NotDeterministic, Invariants.NotDeterministic, nondeterminism));
        }

        Lap(watch, "determinism");

        // 5. Incremental: a driver that saw the earlier version, then this one, writes what a fresh driver writes.
        if (!input.PreviousFiles.IsDefaultOrEmpty)
        {
            var previous = Compile(input.PreviousFiles, settings);
            var incrementalDriver = NewDriver(settings).RunGenerators(previous, cancellationToken);
            // Files whose text did not change keep their tree, as in an editor; the others are parsed anew.
            var trees = input.Files.Select(file =>
                previous.SyntaxTrees.FirstOrDefault(tree => tree.FilePath == file.Path && tree.GetText(cancellationToken).ToString() == file.Text)
                ?? CSharpSyntaxTree.ParseText(file.Text, settings.ParseOptions, file.Path));
            var updated = previous.RemoveAllSyntaxTrees().AddSyntaxTrees(trees);
            var incremental = GeneratedTexts(incrementalDriver.RunGenerators(updated, cancellationToken).GetRunResult());
            if (Difference(fresh, incremental) is { } difference)
            {
                observation.Findings.Add(new Finding(Invariants.IncrementalDiffers, Invariants.IncrementalDiffers, difference));
            }
        }

        Lap(watch, "incremental");

        // One binding of the whole program: compiler diagnostics and analyzer diagnostics together.
        var analyzers = raceAnalysis ? s_allAnalyzers : s_declarationAnalyzer;
        var withAnalyzers = output.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: null,
            concurrentAnalysis: false, // The run is parallel over inputs already.
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false));
        var all = withAnalyzers.GetAllDiagnosticsAsync(cancellationToken).GetAwaiter().GetResult();
        observation.BoundEverything = true;
        Lap(watch, raceAnalysis ? "binding+analyzers (with race analysis)" : "binding+analyzers");

        foreach (var crash in all.Where(d => d.Id == "AD0001"))
        {
            var message = crash.GetMessage();
            observation.Findings.Add(new Finding(Invariants.AnalyzerThrew, $"{Invariants.AnalyzerThrew}: {ExceptionTypeIn(message)}", message));
        }

        var generatedTrees = output.SyntaxTrees.Where(IsGenerated).ToArray();
        var compilerDiagnostics = all.Where(d => !d.Id.StartsWith("FLOW", StringComparison.Ordinal) && d.Id != "AD0001").ToArray();
        var inGenerated = compilerDiagnostics.Where(d => d.Location.SourceTree is { } tree && IsGenerated(tree) && d.Severity >= DiagnosticSeverity.Info).ToArray();
        var outputErrorsInUserCode = compilerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && !(d.Location.SourceTree is { } tree && IsGenerated(tree))).ToArray();

        // The user's own errors, found without binding the input a second time: syntax errors of the user's files, and
        // errors in them that do not mention a member the generator writes (a missing RunAsync, or one the generated
        // code collides with, is not the user's own error: the corpus does not call RunAsync).
        var ownErrors = output.SyntaxTrees.Where(tree => !IsGenerated(tree))
            .SelectMany(tree => tree.GetDiagnostics(cancellationToken))
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Concat(outputErrorsInUserCode.Where(d => !MentionsOnlyGeneratedMembers(d) || InAttributeArgument(d, cancellationToken)))
            .ToArray();
        observation.UserCodeHasErrors = ownErrors.Length > 0;

        // 2. Generated code that does not even parse is the generator's fault whatever the user's code binds to, as
        // long as the user's files parse.
        var userSyntaxErrors = output.SyntaxTrees.Where(tree => !IsGenerated(tree)).Any(tree => tree.GetDiagnostics(cancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error));
        if (observation.UserCodeHasErrors && !userSyntaxErrors)
        {
            var syntax = generatedTrees.SelectMany(tree => tree.GetDiagnostics(cancellationToken)).Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            if (syntax.Length > 0)
            {
                observation.Findings.Add(new Finding(Invariants.GeneratedCodeError, $"{Invariants.GeneratedCodeError}: {syntax[0].Id}", "The generated code does not parse:\n" + DescribeDiagnostics(syntax)));
            }
        }

        // 2. Nothing reported in generated files when the user's code is fine; user code the generator broke.
        if (generatedTrees.Length > 0 && !observation.UserCodeHasErrors)
        {
            foreach (var group in inGenerated.GroupBy(d => (d.Id, d.Severity)))
            {
                var invariant = group.Key.Severity == DiagnosticSeverity.Error ? Invariants.GeneratedCodeError : Invariants.GeneratedCodeWarning;
                observation.Findings.Add(new Finding(invariant, $"{invariant}: {group.Key.Id}", DescribeDiagnostics(group)));
            }

        }

        // 3 and 4, per [Workflow] class.
        var notGeneratedReports = driverDiagnostics.Where(d => d.Id == "FLOW017").ToArray();
        var flowErrors = all.Where(d => d.Id.StartsWith("FLOW", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error).ToArray();
        var generatedFor = GeneratedTypes(output, generatedTrees, cancellationToken);
        var workflows = WorkflowClasses(output, cancellationToken).ToArray();
        foreach (var (declaration, type) in workflows)
        {
            observation.Workflows++;
            // The workflow's own FLOW errors: what the shared parser reports for it over the program the analyzers see
            // (the analyzer reports exactly these; asking the parser avoids guessing which type a location is about).
            var allErrors = ProblemsOf(type, output, cancellationToken)
                .Where(problem => flowErrors.Any(d => d.Id == problem.Id && d.Location == problem.Location))
                .Select(problem => flowErrors.First(d => d.Id == problem.Id && d.Location == problem.Location))
                .ToArray();

            // FLOW015/016 keep only the Durable class from being generated: RunAsync still is.
            var errors = allErrors.Where(d => !IsDurableError(d.Id)).ToArray();
            var durableErrors = allErrors.Where(d => IsDurableError(d.Id)).ToArray();
            if (durableErrors.Length > 0 && HasGeneratedDurableClass(type))
            {
                observation.Findings.Add(new Finding(
                    Invariants.DurableDespiteDurableError,
                    $"{Invariants.DurableDespiteDurableError}: {string.Join(",", durableErrors.Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal))}",
                    $"'{type.ToDisplayString()}' got a Durable class, but:\n" + DescribeDiagnostics(durableErrors)));
            }

            var generated = generatedFor.Contains(type);
            // (A type that does not resolve is the compiler's error, not FLOW015's: then no Durable class and no FLOW error.)
            if (generated && errors.Length == 0 && durableErrors.Length == 0 && ownErrors.Length == 0 && AsksForDurable(type) && !HasGeneratedDurableClass(type))
            {
                observation.Findings.Add(new Finding(
                    Invariants.DurableMissing,
                    Invariants.DurableMissing,
                    $"'{type.ToDisplayString()}' has Durable = true, no FLOW error and RunAsync, but no Durable class."));
            }

            if (generated)
            {
                observation.Generated++;
            }

            // 7. The generator's FLOW017 is on every workflow it skipped for a FLOW error, and on no other.
            var skippedReported = notGeneratedReports.Count(d => Declares(type, d.Location, cancellationToken));
            if (!threw && (generated ? skippedReported > 0 : errors.Length > 0 && skippedReported != 1))
            {
                observation.Findings.Add(new Finding(
                    Invariants.NotGeneratedReport,
                    $"{Invariants.NotGeneratedReport}: {(generated ? "on a generated workflow" : $"{skippedReported} on a skipped workflow")}",
                    $"'{type.ToDisplayString()}' generated: {generated}; FLOW017: " + string.Join("; ", notGeneratedReports.Select(d => d.ToString())) + "\n" + DescribeDiagnostics(errors)));
            }

            if (errors.Length > 0)
            {
                observation.RejectedWithFlowError++;
                if (generated)
                {
                    observation.Findings.Add(new Finding(
                        Invariants.GeneratedDespiteFlowError,
                        $"{Invariants.GeneratedDespiteFlowError}: {string.Join(",", errors.Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal))}",
                        $"'{type.ToDisplayString()}' was generated, but:\n" + DescribeDiagnostics(errors)));
                }
            }
            else if (!generated && !threw)
            {
                if (ownErrors.Length > 0)
                {
                    observation.NotGeneratedUserErrorsOnly++;
                }
                else
                {
                    observation.Findings.Add(new Finding(
                        Invariants.NotGeneratedNoFlowError,
                        Invariants.NotGeneratedNoFlowError,
                        $"'{type.ToDisplayString()}' got no RunAsync and no FLOW error; the user's code has no error of its own. Reported: "
                        + string.Join("; ", all.Where(d => d.Severity >= DiagnosticSeverity.Warning).Take(8).Select(d => d.ToString()))));
                }
            }

            if (input.ExpectAccepted && !threw && (!generated || errors.Length > 0))
            {
                observation.Findings.Add(new Finding(Invariants.ValidInputRejected, $"{Invariants.ValidInputRejected}: {(errors.Length > 0 ? string.Join(",", errors.Select(d => d.Id).Distinct()) : "not generated")}", DescribeDiagnostics(errors)));
            }
        }

        // User code the generated code broke: errors that mention generated members, except inside a workflow that got
        // none (its hooks then have no defining declaration: a consequence of I3/I4, not of generated code).
        if (generatedTrees.Length > 0 && !observation.UserCodeHasErrors)
        {
            var notGenerated = workflows.Where(w => !generatedFor.Contains(w.Type)).Select(w => w.Type).ToArray();
            var broken = outputErrorsInUserCode
                .Where(d => !notGenerated.Any(type => d.Location.SourceTree is { } tree && type.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == tree && r.Span.Contains(d.Location.SourceSpan))))
                .ToArray();
            if (broken.Length > 0)
            {
                observation.Findings.Add(new Finding(
                    Invariants.UserCodeBroken,
                    $"{Invariants.UserCodeBroken}: {string.Join(",", broken.Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal))}",
                    DescribeDiagnostics(broken)));
            }
        }

        if (input.ExpectAccepted && !threw && outputErrorsInUserCode.Length > 0)
        {
            observation.Findings.Add(new Finding(Invariants.ValidInputRejected, $"{Invariants.ValidInputRejected}: user code errors {string.Join(",", outputErrorsInUserCode.Select(d => d.Id).Distinct())}", DescribeDiagnostics(outputErrorsInUserCode)));
        }

        Lap(watch, "classification");

        // 6. Every offered code fix applies, compiles and removes its diagnostic.
        if (!threw && fixes && FixChecker.HasFixable(all))
        {
            FixChecker.Check(input, s_empty[settings].Options, observation, cancellationToken);
            Lap(watch, "code fixes");
        }

        return observation;
    }

    // Whether the location is the name of one of the type's declarations (the generator reports by path and span).
    private static bool Declares(INamedTypeSymbol type, Location location, CancellationToken cancellationToken) =>
        type.DeclaringSyntaxReferences.Any(reference =>
            reference.SyntaxTree.FilePath == location.GetLineSpan().Path
            && reference.GetSyntax(cancellationToken) is BaseTypeDeclarationSyntax declaration
            && declaration.Identifier.Span == location.SourceSpan);

    private static bool IsGenerated(SyntaxTree tree) => tree.FilePath.EndsWith(GeneratedSuffix, StringComparison.Ordinal);

    // An attribute argument must be a constant, and no generated member is one: an error there that names RunAsync (the
    // user wrote '(RunAsync)' where a bool goes, CS0428) is the user's own whether or not RunAsync exists (CS0103).
    private static bool InAttributeArgument(Diagnostic diagnostic, CancellationToken cancellationToken) =>
        diagnostic.Location.SourceTree is { } tree
        && tree.GetRoot(cancellationToken).FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<AttributeArgumentSyntax>() is not null;

    private static bool MentionsOnlyGeneratedMembers(Diagnostic diagnostic)
    {
        var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        return s_generatedMemberNames.Any(name => message.Contains("'" + name + "'", StringComparison.Ordinal) || message.Contains("." + name + "(", StringComparison.Ordinal) || message.Contains(name + "(", StringComparison.Ordinal));
    }

    /// <summary>Every class or record of the user's files that carries <c>Flows.WorkflowAttribute</c>.</summary>
    private static IEnumerable<(TypeDeclarationSyntax Declaration, INamedTypeSymbol Type)> WorkflowClasses(Compilation output, CancellationToken cancellationToken)
    {
        var seen = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var tree in output.SyntaxTrees.Where(tree => !IsGenerated(tree)))
        {
            var model = output.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot(cancellationToken).DescendantNodes().OfType<TypeDeclarationSyntax>())
            {
                if (declaration is not (ClassDeclarationSyntax or RecordDeclarationSyntax) || declaration.AttributeLists.Count == 0)
                {
                    continue;
                }

                if (model.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol type || !seen.Add(type))
                {
                    continue;
                }

                if (type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "Flows.WorkflowAttribute"))
                {
                    yield return (declaration, type);
                }
            }
        }
    }

    /// <summary>The types a generated file declares members of (its RunAsync or MermaidDiagram).</summary>
    private static HashSet<INamedTypeSymbol> GeneratedTypes(Compilation output, SyntaxTree[] generatedTrees, CancellationToken cancellationToken)
    {
        var types = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var tree in generatedTrees)
        {
            var model = output.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot(cancellationToken).DescendantNodes().OfType<TypeDeclarationSyntax>())
            {
                if (declaration.Members.Any(m => m is FieldDeclarationSyntax { Declaration.Variables: var variables } && variables.Any(v => v.Identifier.ValueText == "MermaidDiagram"))
                    && model.GetDeclaredSymbol(declaration, cancellationToken) is INamedTypeSymbol type)
                {
                    types.Add(type.OriginalDefinition);
                }
            }
        }

        return types;
    }

    private static bool IsDurableError(string id) => id is "FLOW015" or "FLOW016";

    // As the parser reads it: the first [Workflow] (a second one is the compiler's CS0579).
    private static bool AsksForDurable(INamedTypeSymbol type) =>
        type.GetAttributes().FirstOrDefault(attribute => attribute.AttributeClass?.ToDisplayString() == "Flows.WorkflowAttribute") is { } workflow
        && workflow.NamedArguments.Any(argument => argument.Key == "Durable" && argument.Value.Value is true);

    // The nested Durable class the generator writes (not a member of the user's named so: that is FLOW015 itself).
    private static bool HasGeneratedDurableClass(INamedTypeSymbol type) =>
        type.GetTypeMembers("Durable").Any(member => member.Locations.Any(location => location.SourceTree is { } tree && IsGenerated(tree)));

    /// <summary>The FLOW problems of severity Error the parser finds in <paramref name="type"/>.</summary>
    private static IEnumerable<Flows.Generator.Parsing.WorkflowProblem> ProblemsOf(INamedTypeSymbol type, Compilation output, CancellationToken cancellationToken) =>
        Flows.Generator.Parsing.WorkflowParser.Parse(type, output, cancellationToken).Problems
            .Where(problem => Flows.Analyzers.DiagnosticDescriptors.ById.TryGetValue(problem.Id, out var descriptor) && descriptor.DefaultSeverity == DiagnosticSeverity.Error);

    private static SortedDictionary<string, string> GeneratedTexts(GeneratorDriverRunResult run)
    {
        var texts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var result in run.Results)
        {
            foreach (var source in result.GeneratedSources)
            {
                texts[source.HintName] = source.SourceText.ToString();
            }
        }

        return texts;
    }

    private static string? Difference(SortedDictionary<string, string> expected, SortedDictionary<string, string> actual)
    {
        if (!expected.Keys.SequenceEqual(actual.Keys))
        {
            return $"files [{string.Join(", ", expected.Keys)}] vs [{string.Join(", ", actual.Keys)}]";
        }

        foreach (var (hint, text) in expected)
        {
            if (actual[hint] != text)
            {
                var a = text.Split('\n');
                var b = actual[hint].Split('\n');
                for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
                {
                    var left = i < a.Length ? a[i] : "<end>";
                    var right = i < b.Length ? b[i] : "<end>";
                    if (left != right)
                    {
                        return $"{hint} line {i + 1}:\n  fresh: {left}\n  other: {right}";
                    }
                }
            }
        }

        return null;
    }

    public static string DescribeDiagnostics(IEnumerable<Diagnostic> diagnostics)
    {
        var text = new StringBuilder();
        foreach (var diagnostic in diagnostics.Take(20))
        {
            text.Append("  ").Append(diagnostic).Append('\n');
            if (diagnostic.Location.SourceTree is { } tree)
            {
                var line = tree.GetText().Lines[diagnostic.Location.GetLineSpan().StartLinePosition.Line];
                text.Append("      | ").Append(line.ToString().Trim()).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string TopFrame(Exception exception)
    {
        var trace = exception.StackTrace ?? string.Empty;
        var frame = trace.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.Contains("Flows.", StringComparison.Ordinal)) ?? trace.Split('\n').FirstOrDefault() ?? string.Empty;
        var paren = frame.IndexOf('(');
        return (paren > 0 ? frame.Substring(0, paren) : frame).Replace("at ", string.Empty).Trim();
    }

    private static string ExceptionTypeIn(string message)
    {
        // "... threw an exception of type 'System.X' with message ..."
        var start = message.IndexOf("of type '", StringComparison.Ordinal);
        if (start < 0)
        {
            return "unknown";
        }

        start += "of type '".Length;
        var end = message.IndexOf('\'', start);
        return end > start ? message.Substring(start, end - start) : "unknown";
    }
}
