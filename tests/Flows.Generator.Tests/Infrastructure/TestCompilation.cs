using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Flows.Generator.Tests.Infrastructure;

/// <summary>How a test compilation is configured: the combinations generated code must compile warning-free under.</summary>
internal readonly record struct CompileSettings(bool Nullable, LanguageVersion LanguageVersion)
{
    public static readonly CompileSettings Default = new(Nullable: true, LanguageVersion.Latest);

    /// <summary>Nullable on and off, C# 12 and the latest version.</summary>
    public static readonly IReadOnlyList<CompileSettings> All = new[]
    {
        new CompileSettings(Nullable: true, LanguageVersion.Latest),
        new CompileSettings(Nullable: false, LanguageVersion.Latest),
        new CompileSettings(Nullable: true, LanguageVersion.CSharp12),
        new CompileSettings(Nullable: false, LanguageVersion.CSharp12),
    };

    public CSharpParseOptions ParseOptions => new(LanguageVersion);

    public override string ToString() => $"nullable {(Nullable ? "enable" : "disable")}, C# {LanguageVersion.ToDisplayString()}";
}

/// <summary>One generated file.</summary>
internal sealed record GeneratedFile(string HintName, string Text);

/// <summary>What a generator run produced.</summary>
internal sealed class GeneratorRun
{
    public GeneratorRun(CompileSettings settings, Compilation input, Compilation output, GeneratorDriver driver)
    {
        Settings = settings;
        Input = input;
        Output = output;
        Driver = driver;
        RunResult = driver.GetRunResult();
        Files = RunResult.Results.SelectMany(result => result.GeneratedSources)
            .Select(source => new GeneratedFile(source.HintName, source.SourceText.ToString()))
            .OrderBy(file => file.HintName, StringComparer.Ordinal)
            .ToArray();
    }

    public CompileSettings Settings { get; }

    /// <summary>The user's sources alone (which may fail to compile: they call the generated members).</summary>
    public Compilation Input { get; }

    /// <summary>The user's sources with the generated files added.</summary>
    public Compilation Output { get; }

    public GeneratorDriver Driver { get; }

    public GeneratorDriverRunResult RunResult { get; }

    /// <summary>The generated files, by hint name.</summary>
    public IReadOnlyList<GeneratedFile> Files { get; }

    /// <summary>The exception the generator threw, if any (the driver turns it into CS8785).</summary>
    public Exception? Exception => RunResult.Results.Select(result => result.Exception).FirstOrDefault(exception => exception is not null);

    /// <summary>Diagnostics of the final compilation at warning severity or above, nothing excluded.</summary>
    public ImmutableArray<Diagnostic> OutputProblems() =>
        Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();

    /// <summary>Prints the diagnostics with the line each points at, then every generated file with line numbers.</summary>
    public string Describe(IEnumerable<Diagnostic> diagnostics)
    {
        var text = new StringBuilder();
        text.Append("Settings: ").Append(Settings).Append('\n');
        foreach (var diagnostic in diagnostics)
        {
            text.Append("  ").Append(diagnostic).Append('\n');
            if (diagnostic.Location.SourceTree is { } tree)
            {
                var line = tree.GetText().Lines[diagnostic.Location.GetLineSpan().StartLinePosition.Line];
                text.Append("      | ").Append(line.ToString().Trim()).Append('\n');
            }
        }

        foreach (var diagnostic in RunResult.Diagnostics)
        {
            text.Append("  driver: ").Append(diagnostic).Append('\n');
        }

        if (Exception is { } exception)
        {
            text.Append("Generator exception: ").Append(exception).Append('\n');
        }

        foreach (var file in Files)
        {
            text.Append("\n===== ").Append(file.HintName).Append(" =====\n");
            var lines = file.Text.Replace("\r\n", "\n").Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                text.Append((i + 1).ToString("D4", System.Globalization.CultureInfo.InvariantCulture)).Append("  ").Append(lines[i]).Append('\n');
            }
        }

        return text.ToString();
    }
}

/// <summary>
/// Builds compilations against the .NET 8 reference assemblies (Basic.Reference.Assemblies) plus Flows.Abstractions,
/// Flows.DurableTask and the Durable Task SDK assemblies the generated Durable classes call, never against whatever
/// the test host has loaded, and runs the Flows generator over them.
/// </summary>
internal static class TestCompilation
{
    /// <summary>.NET 8 and Flows.Abstractions: a project that references Flows but not Flows.DurableTask.</summary>
    public static readonly ImmutableArray<MetadataReference> ReferencesWithoutDurableTask =
        Basic.Reference.Assemblies.Net80.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(WorkflowAttribute).Assembly.Location))
            .ToImmutableArray();

    /// <summary>
    /// Shared by every test (building the list is the costly part): a project that also references Flows.DurableTask,
    /// so that <c>[Workflow(Durable = true)]</c> generates its Durable class. The SDK assemblies are the ones the
    /// generated code names: Microsoft.DurableTask.Abstractions (orchestration context, activities, registry) and
    /// Microsoft.DurableTask.Client (the client). A workflow that is not durable generates the same code with or
    /// without them (the golden files of the other workflows say so).
    /// </summary>
    public static readonly ImmutableArray<MetadataReference> References =
        ReferencesWithoutDurableTask
            .Add(MetadataReference.CreateFromFile(typeof(global::Flows.DurableTask.DurableWorkflowException).Assembly.Location))
            .Add(MetadataReference.CreateFromFile(typeof(global::Microsoft.DurableTask.TaskOrchestrationContext).Assembly.Location))
            .Add(MetadataReference.CreateFromFile(typeof(global::Microsoft.DurableTask.Client.DurableTaskClient).Assembly.Location));

    public static CSharpCompilation Create(CompileSettings settings, params string[] sources) =>
        Create(settings, sources.Select((source, i) => ($"Source{i}.cs", source)));

    public static CSharpCompilation Create(CompileSettings settings, IEnumerable<(string Path, string Source)> sources) =>
        Create(settings, References, sources);

    public static CSharpCompilation Create(CompileSettings settings, ImmutableArray<MetadataReference> references, IEnumerable<(string Path, string Source)> sources) =>
        CSharpCompilation.Create(
            "Flows.Generator.Tests.Output",
            sources.Select(source => CSharpSyntaxTree.ParseText(source.Source, settings.ParseOptions, source.Path)),
            references,
            Options(settings));

    public static CSharpCompilationOptions Options(CompileSettings settings) =>
        new(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: settings.Nullable ? NullableContextOptions.Enable : NullableContextOptions.Disable,
            warningLevel: 9999, // Every warning wave: what a new project with the latest analysis level sees.
            deterministic: true);

    public static GeneratorDriver CreateDriver(CompileSettings settings, bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            new[] { new WorkflowGenerator().AsSourceGenerator() },
            parseOptions: settings.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    public static GeneratorRun Run(CompileSettings settings, params string[] sources) => Run(Create(settings, sources), settings);

    public static GeneratorRun Run(CSharpCompilation input, CompileSettings settings)
    {
        var driver = CreateDriver(settings).RunGeneratorsAndUpdateCompilation(input, out var output, out _);
        return new GeneratorRun(settings, input, output, driver);
    }

    /// <summary>
    /// Runs the generator and asserts that it did not fail and that the final compilation has no error and no
    /// warning. The input alone may not compile (it may call <c>RunAsync</c>); the output must.
    /// </summary>
    public static GeneratorRun AssertCompilesClean(CompileSettings settings, params string[] sources)
    {
        var run = Run(settings, sources);
        var problems = run.OutputProblems();
        if (run.Exception is not null || !run.RunResult.Diagnostics.IsEmpty || !problems.IsEmpty)
        {
            Assert.Fail($"The generated code does not compile cleanly ({problems.Length} diagnostics).\n{run.Describe(problems)}");
        }

        return run;
    }

    /// <summary><see cref="AssertCompilesClean(CompileSettings, string[])"/> under every combination of <see cref="CompileSettings.All"/>.</summary>
    public static IReadOnlyList<GeneratorRun> AssertCompilesCleanEverywhere(params string[] sources) =>
        CompileSettings.All.Select(settings => AssertCompilesClean(settings, sources)).ToArray();
}
