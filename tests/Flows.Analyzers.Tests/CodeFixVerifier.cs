using System.Collections.Immutable;
using Flows.Analyzers;
using Flows.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace Flows.Analyzers.Tests;

/// <summary>
/// Applies a code fix to the first diagnostic of an ID, as the IDE does, and checks the text it leaves and that
/// this text compiles, with the generator's output, without errors.
/// </summary>
internal static class CodeFixVerifier
{
    private static readonly ImmutableArray<MetadataReference> s_references =
        Basic.Reference.Assemblies.Net80.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(WorkflowAttribute).Assembly.Location))
            .ToImmutableArray();

    public static async Task VerifyAsync(CodeFixProvider fix, string diagnosticId, string before, string after)
    {
        var document = CreateDocument(before);
        var diagnostic = (await AnalyzeAsync(document)).FirstOrDefault(d => d.Id == diagnosticId);
        Assert.True(diagnostic is not null, $"No {diagnosticId} to fix in:\n{before}");

        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic!, (action, _) => actions.Add(action), CancellationToken.None);
        await fix.RegisterCodeFixesAsync(context);
        Assert.True(actions.Count > 0, $"{fix.GetType().Name} offered no fix for {diagnostic}");

        var operations = await actions[0].GetOperationsAsync(CancellationToken.None);
        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(document.Id)!;
        var text = (await changed.GetTextAsync()).ToString();
        Assert.Equal(Normalize(after), Normalize(text));

        var remaining = (await AnalyzeAsync(changed, includeCompilerErrors: true))
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .ToArray();
        Assert.True(remaining.Length == 0, "The fixed code does not compile:\n" + string.Join("\n", remaining.Select(d => d.ToString())));
    }

    public static async Task NoFixOfferedAsync(CodeFixProvider fix, string diagnosticId, string source)
    {
        var document = CreateDocument(source);
        var diagnostic = (await AnalyzeAsync(document)).First(d => d.Id == diagnosticId);
        var actions = new List<CodeAction>();
        await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        Assert.Empty(actions);
    }

    private static Document CreateDocument(string source)
    {
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Default,
            "Tests",
            "Tests",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: s_references));
        return workspace.AddDocument(project.Id, "Test.cs", SourceText.From(source));
    }

    private static async Task<Diagnostic[]> AnalyzeAsync(Document document, bool includeCompilerErrors = false)
    {
        var compilation = (await document.Project.GetCompilationAsync())!;
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new WorkflowGenerator());
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out _);
        var withAnalyzers = generated.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new WorkflowAnalyzer(), new global::Flows.Analyzers.Concurrency.StepConcurrencyAnalyzer()));
        var diagnostics = includeCompilerErrors
            ? await withAnalyzers.GetAllDiagnosticsAsync()
            : await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        return diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ToArray();
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n");
}
