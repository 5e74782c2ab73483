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
internal static class AnalyzerVerifier
{
    private static readonly Regex s_markup = new(@"\{\|(?<id>FLOW\d{3}):|\|\}", RegexOptions.Compiled);

    private static readonly ImmutableArray<MetadataReference> s_references =
        Basic.Reference.Assemblies.Net80.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(WorkflowAttribute).Assembly.Location))
            .ToImmutableArray();

    public sealed record Expected(string Id, TextSpan Span, string[]? Arguments = null);

    /// <summary>Checks that the analyzers report exactly the marked diagnostics, and nothing else.</summary>
    public static async Task VerifyAsync(string markup, params string[][] arguments)
    {
        var (source, expected) = Parse(markup);
        var actual = await AnalyzeAsync(source);

        var expectedRows = expected.Select(e => $"{e.Id} {e.Span}").ToList();
        var actualRows = actual.Select(d => $"{d.Id} {d.Location.SourceSpan}").ToList();
        Assert.True(
            expectedRows.SequenceEqual(actualRows),
            $"Expected:\n  {string.Join("\n  ", expectedRows)}\nActual:\n  {string.Join("\n  ", actual.Select(Describe))}");

        for (var i = 0; i < arguments.Length && i < actual.Length; i++)
        {
            Assert.Equal(arguments[i], MessageArguments(actual[i]));
        }
    }

    public static async Task<Diagnostic[]> AnalyzeAsync(string source)
    {
        var compilation = CSharpCompilation.Create(
            "Tests",
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "Test.cs") },
            s_references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        // The IDE analyzes the compilation with the generated code in it.
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new WorkflowGenerator());
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out _);

        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new WorkflowAnalyzer());
        var withAnalyzers = generated.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false));
        var diagnostics = await withAnalyzers.GetAllDiagnosticsAsync();

        var crashes = diagnostics.Where(d => d.Id is "AD0001").ToArray();
        Assert.True(crashes.Length == 0, "An analyzer threw:\n" + string.Join("\n", crashes.Select(d => d.ToString())));

        return diagnostics
            .Where(d => d.Id.StartsWith("FLOW", StringComparison.Ordinal))
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToArray();
    }

    public static string[] MessageArguments(Diagnostic diagnostic) =>
        ((IEnumerable<object?>?)typeof(Diagnostic).GetProperty("Arguments", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)?.GetValue(diagnostic)
            ?? Array.Empty<object?>()).Select(a => a?.ToString() ?? string.Empty).ToArray();

    private static string Describe(Diagnostic diagnostic) =>
        $"{diagnostic.Id} {diagnostic.Location.SourceSpan} '{diagnostic.Location.SourceTree?.GetText().ToString(diagnostic.Location.SourceSpan)}': {diagnostic.GetMessage()}";

    private static (string Source, List<Expected> Expected) Parse(string markup)
    {
        var source = new StringBuilder();
        var expected = new List<Expected>();
        var open = new Stack<(string Id, int Start)>();
        var last = 0;
        foreach (Match match in s_markup.Matches(markup))
        {
            source.Append(markup, last, match.Index - last);
            last = match.Index + match.Length;
            if (match.Groups["id"].Success)
            {
                open.Push((match.Groups["id"].Value, source.Length));
            }
            else
            {
                var (id, start) = open.Pop();
                expected.Add(new Expected(id, TextSpan.FromBounds(start, source.Length)));
            }
        }

        source.Append(markup, last, markup.Length - last);
        Assert.Empty(open);
        expected.Sort((a, b) => a.Span.Start != b.Span.Start ? a.Span.Start.CompareTo(b.Span.Start) : string.CompareOrdinal(a.Id, b.Id));
        return (source.ToString(), expected);
    }
}
