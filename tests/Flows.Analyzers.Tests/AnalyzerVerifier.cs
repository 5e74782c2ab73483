using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using Flows.Analyzers;
using Flows.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace Flows.Analyzers.Tests;

/// <summary>
/// Runs the Flows analyzers the way the IDE does — over a compilation that already holds the generator's
/// output — and compares what they report with the markup of the source: <c>{|FLOW005:span|}</c>.
/// </summary>
/// <remarks>
/// <para><c>{|#0:span|}</c> marks a location without a diagnostic; <c>{|FLOW001,#0:span|}</c> expects a FLOW001 whose
/// additional locations are exactly the marked ones, in order. A diagnostic marker that names no additional location
/// does not check them.</para>
/// <para>Several sources become several files, <c>Test0.cs</c>, <c>Test1.cs</c>, …; one source is <c>Test.cs</c>.</para>
/// </remarks>
internal static class AnalyzerVerifier
{
    private static readonly Regex s_markup = new(@"\{\|(?:(?<id>FLOW\d{3})(?:,#(?<ref>\d+))*|#(?<mark>\d+)):|\|\}", RegexOptions.Compiled);

    private static readonly ImmutableArray<MetadataReference> s_references =
        Basic.Reference.Assemblies.Net80.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(WorkflowAttribute).Assembly.Location))
            .ToImmutableArray();

    // Flows.DurableTask and what it references outside the framework (the Durable Task SDK and its dependencies): what a
    // project that references the Flows.DurableTask package compiles against. Assemblies the framework provides come
    // from the Net80 reference assemblies above, not from the test host's runtime.
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_durableReferences = new(() =>
    {
        var directory = AppContext.BaseDirectory;
        var found = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<System.Reflection.AssemblyName>();
        pending.Push(typeof(global::Flows.DurableTask.DurableWorkflowException).Assembly.GetName());
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            var file = Path.Combine(directory, name.Name + ".dll");
            if (!File.Exists(file) || !found.TryAdd(name.Name!, file))
            {
                continue;
            }

            // Read the references without loading the assembly into the test host.
            using var stream = File.OpenRead(file);
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
            foreach (var handle in metadata.AssemblyReferences)
            {
                pending.Push(metadata.GetAssemblyReference(handle).GetAssemblyName());
            }
        }

        return s_references.AddRange(found.Values.OrderBy(file => file, StringComparer.Ordinal).Select(file => MetadataReference.CreateFromFile(file)));
    });

    /// <param name="Path">The file of <paramref name="Span"/>.</param>
    /// <param name="Additional">The expected additional locations, or null when they are not checked.</param>
    public sealed record Expected(string Id, TextSpan Span, string[]? Arguments = null, string Path = SingleFilePath, IReadOnlyList<(string Path, TextSpan Span)>? Additional = null);

    private const string SingleFilePath = "Test.cs";

    /// <summary>Checks that the analyzers report exactly the marked diagnostics, and nothing else.</summary>
    /// <param name="arguments">The message arguments of the first diagnostics, in order of position.</param>
    public static Task VerifyAsync(string markup, params string[][] arguments) =>
        VerifyAsync(new[] { markup }, arguments);

    /// <summary>
    /// As <see cref="VerifyAsync(string, string[][])"/>, in a project that references Flows.DurableTask (and so the
    /// Durable Task SDK), as <c>[Workflow(Durable = true)]</c> asks.
    /// </summary>
    public static Task VerifyDurableAsync(string markup, params string[][] arguments) =>
        VerifyAsync(new[] { markup }, durableTask: true, arguments);

    /// <summary>
    /// Checks that the analyzers report exactly the marked diagnostics over several files, and nothing else.
    /// Diagnostics are ordered by file, then position.
    /// </summary>
    public static Task VerifyAsync(string[] markups, params string[][] arguments) =>
        VerifyAsync(markups, durableTask: false, arguments);

    private static async Task VerifyAsync(string[] markups, bool durableTask, string[][] arguments)
    {
        var paths = PathsFor(markups.Length);
        var sources = new string[markups.Length];
        var expected = new List<Expected>();
        var marks = new Dictionary<int, (string Path, TextSpan Span)>();
        var references = new List<(int Diagnostic, int[] Marks)>();
        for (var i = 0; i < markups.Length; i++)
        {
            sources[i] = Parse(markups[i], paths[i], expected, marks, references);
        }

        foreach (var (diagnostic, refs) in references)
        {
            var additional = refs.Select(r => marks.TryGetValue(r, out var mark) ? mark : throw new InvalidOperationException($"The markup references #{r}, which it does not mark.")).ToArray();
            expected[diagnostic] = expected[diagnostic] with { Additional = additional };
        }

        expected.Sort((a, b) =>
            string.CompareOrdinal(a.Path, b.Path) is var byPath and not 0 ? byPath
            : a.Span.Start != b.Span.Start ? a.Span.Start.CompareTo(b.Span.Start)
            : string.CompareOrdinal(a.Id, b.Id));

        var actual = (await RunAsync(sources, durableTask)).Diagnostics;

        var expectedRows = expected.Select(e => Row(e.Id, e.Path, e.Span, e.Additional)).ToList();
        var actualRows = actual.Select((d, i) => Row(
            d.Id,
            d.Location.SourceTree?.FilePath ?? string.Empty,
            d.Location.SourceSpan,
            i < expected.Count && expected[i].Additional is not null ? d.AdditionalLocations.Select(l => (l.SourceTree?.FilePath ?? string.Empty, l.SourceSpan)).ToArray() : null)).ToList();
        Assert.True(
            expectedRows.SequenceEqual(actualRows),
            $"Expected:\n  {string.Join("\n  ", expectedRows)}\nActual:\n  {string.Join("\n  ", actual.Select(Describe))}");

        for (var i = 0; i < arguments.Length && i < actual.Length; i++)
        {
            Assert.Equal(arguments[i], MessageArguments(actual[i]));
        }
    }

    public static Task<Diagnostic[]> AnalyzeAsync(string source) => AnalyzeAsync(new[] { source });

    /// <summary>The FLOW diagnostics of <paramref name="sources"/> (files named as in <see cref="VerifyAsync(string[], string[][])"/>), by file and position.</summary>
    public static async Task<Diagnostic[]> AnalyzeAsync(string[] sources) => (await RunAsync(sources)).Diagnostics;

    /// <summary>
    /// Checks that the generator wrote a workflow for <paramref name="sources"/>, that the result compiles without
    /// errors, and that the analyzers report no FLOW diagnostic on it (in the user's code or the generated code).
    /// </summary>
    public static async Task VerifyGeneratedCodeIsNotFlaggedAsync(params string[] sources)
    {
        var (compilation, diagnostics) = await RunAsync(sources);
        Assert.True(diagnostics.Length == 0, "Unexpected:\n  " + string.Join("\n  ", diagnostics.Select(Describe)));
        var generated = compilation.SyntaxTrees.Where(tree => tree.FilePath.EndsWith(".Flows.g.cs", StringComparison.Ordinal)).ToArray();
        Assert.True(generated.Length > 0, "The generator wrote nothing, so this test would not see generated code.");
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, "The generated workflow does not compile:\n" + string.Join("\n", errors.Select(d => d.ToString())));
    }

    /// <summary>
    /// The compilation with the generator's output in it, and the FLOW diagnostics the analyzers report on it, by file and
    /// position; with <paramref name="durableTask"/>, the project references Flows.DurableTask.
    /// </summary>
    public static async Task<(Compilation Generated, Diagnostic[] Diagnostics)> RunAsync(string[] sources, bool durableTask = false)
    {
        var compilation = CreateCompilation(sources, durableTask);

        // The IDE analyzes the compilation with the generated code in it.
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new WorkflowGenerator());
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out _);

        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new WorkflowAnalyzer(), new global::Flows.Analyzers.Concurrency.StepConcurrencyAnalyzer());
        var withAnalyzers = generated.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false));
        var diagnostics = await withAnalyzers.GetAllDiagnosticsAsync();

        var crashes = diagnostics.Where(d => d.Id is "AD0001").ToArray();
        Assert.True(crashes.Length == 0, "An analyzer threw:\n" + string.Join("\n", crashes.Select(d => d.ToString())));

        return (generated, diagnostics
            .Where(d => d.Id.StartsWith("FLOW", StringComparison.Ordinal))
            .OrderBy(d => d.Location.SourceTree?.FilePath ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToArray());
    }

    /// <summary>
    /// The compilation of <paramref name="sources"/> (files named as in <see cref="VerifyAsync(string[], string[][])"/>),
    /// before the generator runs; with <paramref name="durableTask"/>, the project references Flows.DurableTask.
    /// </summary>
    public static CSharpCompilation CreateCompilation(string[] sources, bool durableTask = false)
    {
        var paths = PathsFor(sources.Length);
        return CSharpCompilation.Create(
            "Tests",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: paths[i])),
            durableTask ? s_durableReferences.Value : s_references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    public static string[] MessageArguments(Diagnostic diagnostic) =>
        ((IEnumerable<object?>?)typeof(Diagnostic).GetProperty("Arguments", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)?.GetValue(diagnostic)
            ?? Array.Empty<object?>()).Select(a => a?.ToString() ?? string.Empty).ToArray();

    private static string[] PathsFor(int count) =>
        count == 1 ? new[] { SingleFilePath } : Enumerable.Range(0, count).Select(i => $"Test{i}.cs").ToArray();

    private static string Row(string id, string path, TextSpan span, IReadOnlyList<(string Path, TextSpan Span)>? additional) =>
        $"{id} {path}{span}" + (additional is null ? string.Empty : " additional: [" + string.Join(", ", additional.Select(a => $"{a.Path}{a.Span}")) + "]");

    private static string Describe(Diagnostic diagnostic) =>
        $"{diagnostic.Id} {diagnostic.Location.SourceTree?.FilePath}{diagnostic.Location.SourceSpan} '{diagnostic.Location.SourceTree?.GetText().ToString(diagnostic.Location.SourceSpan)}'"
        + (diagnostic.AdditionalLocations.Count == 0 ? string.Empty : " additional: [" + string.Join(", ", diagnostic.AdditionalLocations.Select(l => $"{l.SourceTree?.FilePath}{l.SourceSpan} '{l.SourceTree?.GetText().ToString(l.SourceSpan)}'")) + "]")
        + $": {diagnostic.GetMessage()}";

    private static string Parse(string markup, string path, List<Expected> expected, Dictionary<int, (string Path, TextSpan Span)> marks, List<(int Diagnostic, int[] Marks)> references)
    {
        var source = new StringBuilder();
        var open = new Stack<(string? Id, int Mark, int[] Refs, int Start)>();
        var last = 0;
        foreach (Match match in s_markup.Matches(markup))
        {
            source.Append(markup, last, match.Index - last);
            last = match.Index + match.Length;
            if (match.Groups["id"].Success)
            {
                open.Push((match.Groups["id"].Value, -1, match.Groups["ref"].Captures.Select(c => int.Parse(c.Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray(), source.Length));
            }
            else if (match.Groups["mark"].Success)
            {
                open.Push((null, int.Parse(match.Groups["mark"].Value, System.Globalization.CultureInfo.InvariantCulture), Array.Empty<int>(), source.Length));
            }
            else
            {
                var (id, mark, refs, start) = open.Pop();
                var span = TextSpan.FromBounds(start, source.Length);
                if (id is null)
                {
                    Assert.True(marks.TryAdd(mark, (path, span)), $"#{mark} is marked twice.");
                }
                else
                {
                    if (refs.Length > 0)
                    {
                        references.Add((expected.Count, refs));
                    }

                    expected.Add(new Expected(id, span, Path: path));
                }
            }
        }

        source.Append(markup, last, markup.Length - last);
        Assert.Empty(open);
        return source.ToString();
    }
}
