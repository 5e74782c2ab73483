using System.Collections.Immutable;
using Flows.Analyzers.Concurrency;
using Flows.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Flows.Analyzers.Tests;

/// <summary>
/// Inputs an independent harness found to break the generator, minimized by hand. Each is held to the one rule every
/// input must meet, under nullable on and off and C# 12 and latest: the generator does not throw, and either the
/// generated code compiles with no error and no warning, or a FLOW error on the user's code says why nothing was
/// generated. Where the right answer is a particular diagnostic, the test names it.
/// </summary>
public sealed class UnseenInputTests
{
    private const string Usings = "using System;\nusing System.Collections.Generic;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing Flows;\n";

    private static readonly ImmutableArray<MetadataReference> s_references =
        Basic.Reference.Assemblies.Net80.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(WorkflowAttribute).Assembly.Location))
            .ToImmutableArray();

    public static TheoryData<string, string?> Examples => new()
    {
        // A keyword namespace reaches the hint name as '@event', which AddSource refuses.
        { Usings + "namespace @event.Handlers;\n[Workflow] public partial class W { [Step] public int A(int x) => x; [Step] public int B(int a) => a; }", null },
        { Usings + "namespace @class { [Workflow] public partial class @struct { [Step] public int @int(int @void) => @void; } }", null },
        // Null where a step name is expected: an error, not silence.
        { Usings + "namespace N;\n[Workflow(Scheduling = Scheduling.Dataflow)] public partial class W { [Step] public int A(int x) => x; [Step, After(null!)] public int B(int a) => a; }", "FLOW009" },
        { Usings + "namespace N;\n[Workflow] public partial class W { [Step] public int A(int x) => x; [Step] public int B([FromStep(null!)] int a) => a; }", "FLOW007" },
        // User strings reach XML docs, literals and Mermaid labels.
        { Usings + "namespace N;\n[Workflow] public partial class W { [Step, Parallel(\"line\\nbreak\")] public int A(int x) => x; [Step, Parallel(\"line\\nbreak\")] public int B(int x) => x; }", null },
        { Usings + "namespace N;\n[Workflow] public partial class W { [Step, Parallel(\"a\\\"b</summary>--> */ \\u2028 x\")] public int A(int x) => x; [Step, Parallel(\"a\\\"b</summary>--> */ \\u2028 x\", Failure = FailurePolicy.FirstSuccess)] public int B(int x) => x; [Step] public int C([FromStep(\"a\\\"b</summary>--> */ \\u2028 x\")] int first) => first; }", null },
        { Usings + "namespace N;\n[Workflow] public partial class W { [Step, Parallel(\"\\r\\n\")] public int A(int x) => x; [Step, Parallel(\"\\r\\n\", Failure = FailurePolicy.FirstSuccess)] public int B(int x) => x; }", "FLOW009" },
        { Usings + "namespace N;\n[Workflow] public partial class W { [Step, Parallel(\"x\\r\\ny\")] public int A(int x) => x; [Step, Parallel(\"x\\r\\ny\", Failure = FailurePolicy.FirstSuccess)] public int B(int x) => x; }", null },
        // dynamic cannot be a type argument of the interfaces generated bodies implement.
        { Usings + "namespace N;\n[Workflow] public partial class W { [Step] public int[] Items() => new[] { 1 }; [ParallelForEach(nameof(Items))] public dynamic Each(int item) => item; }", "FLOW008" },
        { Usings + "namespace N;\n[Workflow] public partial class W { [Step, Retry(2)] public Task<List<dynamic>> A() => Task.FromResult(new List<dynamic>()); }", "FLOW008" },
        // The result type is less accessible than the public RunAsync that would return it.
        { Usings + "namespace N;\n[Workflow] public partial class W { private sealed class Hidden { } [Step] private Hidden Make() => new(); }", "FLOW008" },
        { Usings + "namespace N;\n[Workflow] public partial class W { internal sealed class Inner { } [Step] internal Inner Make() => new(); }", "FLOW008" },
        { Usings + "namespace N;\n[Workflow] public partial class W { private sealed class Hidden { } [Step] public int Use(Hidden hidden) => 1; }", "FLOW007" },
        // A private type used only between steps is fine, and so is a private workflow's private type.
        { Usings + "namespace N;\n[Workflow] public partial class W { private sealed class Hidden { } [Step] private Hidden Make() => new(); [Step] private int Use(Hidden make) => 1; }", null },
        { Usings + "namespace N;\npublic partial class O { private sealed class Hidden { } [Workflow] private partial class W { [Step] private Hidden Make() => new(); } }", null },
        { Usings + "namespace N;\ninternal sealed class Inner { }\n[Workflow] internal partial class W { [Step] internal Inner Make() => new(); }", null },
        // Hooks without 'partial', and members named like the ones Flows generates.
        { Usings + "namespace N;\n[Workflow] public partial class W { [Step] public int A(int x) => x; void OnStepStarting(in StepContext context) { } }", "FLOW008" },
        { Usings + "namespace N;\n[Workflow] public partial class W { [Step] public int A(int x) => x; public ValueTask<int> RunAsync(int x, CancellationToken cancellationToken = default) => new(x); }", "FLOW008" },
        { Usings + "namespace N;\n[Workflow] public partial class W { [Step] public int A(int x) => x; private int __RunObservedAsync; }", "FLOW008" },
        { Usings + "namespace N;\npublic abstract class Job { public Task RunAsync() => Task.CompletedTask; }\n[Workflow] public partial class W : Job { [Step] public int A(int x) => x; }", "FLOW008" },
        { Usings + "namespace N;\npublic abstract class Job { private int __count; protected int Count => __count; }\n[Workflow] public partial class W : Job { [Step] public int A(int x) => x + Count; }", null },
        // Contextual keywords as type names, a type named 'var' in scope, parameters named like object members.
        { Usings + "namespace N;\n#pragma warning disable CS8981\n[Workflow] public partial class record { [Step] public int A(int x) => x; [Step, Retry(2)] public int B(int a) => a; }", null },
        { Usings + "namespace N;\n#pragma warning disable CS8981\n[Workflow] public partial class async { [Step] public int A(int x) => x; [Step, Retry(2)] public int B(int a) => a; }", null },
        { Usings + "namespace N;\n#pragma warning disable CS8981\nclass var { }\n[Workflow] public partial class W { [Step, Parallel(\"g\")] public int A(int x) => x; [Step, Parallel(\"g\")] public int B(int x) => x; }", "FLOW008" },
        { Usings + "namespace N;\n[Workflow] public partial class W { [Step] public int[] Items() => new[] { 1 }; [ParallelForEach(nameof(Items)), Retry(2)] public int Each(int item, int ToString, string GetHashCode) => item; }", null },
        { Usings + "namespace N;\n[Workflow] public partial class W { [Step, Retry(2)] public int A(int Equals, int GetType) => Equals + GetType; }", null },
        { Usings + "namespace N;\n[Workflow] public partial class W { [Step] public int A(int x) => x; [Step] public int B([FromStep(nameof(A))] int __exception) => __exception; }", "FLOW008" },
        // Inputs and outputs named like generated locals.
        { Usings + "namespace N;\n[Workflow] public partial class W { [Step] public int A(int __exception, int __block, int __item, int __observer) => 1; }", "FLOW008" },
        { Usings + "namespace N;\n[Workflow] public partial class W { [Step, Parallel(\"__g\", Failure = FailurePolicy.FirstSuccess)] public int __Run(int x) => x; [Step, Parallel(\"__g\", Failure = FailurePolicy.FirstSuccess)] public int __Block(int x) => x; [Step] public int Last(int __g) => __g; }", "FLOW008" },
        { Usings + "namespace N;\n[Workflow] public partial class W { [Step, Parallel(\"g\")] public int Exception(int x) => x; [Step, Parallel(\"g\")] public int Block(int x) => x; [Step] public int Observer(int exception, int block) => exception + block; }", null },
        // A foreach over the output of one member of a FirstSuccess group, which has no output of its own.
        { Usings + "namespace N;\n[Workflow] public partial class W { [Step, Parallel(\"fast\", Failure = FailurePolicy.FirstSuccess)] public int[] A() => new[] { 1 }; [Step, Parallel(\"fast\", Failure = FailurePolicy.FirstSuccess)] public int[] B() => new[] { 2 }; [ParallelForEach(nameof(A))] public int Each(int item) => item; }", "FLOW010" },
        { Usings + "namespace N;\n[Workflow] public partial class W { [Step, Parallel(\"fast\", Failure = FailurePolicy.FirstSuccess)] public int[] A() => new[] { 1 }; [Step, Parallel(\"fast\", Failure = FailurePolicy.FirstSuccess)] public int[] B() => new[] { 2 }; [ParallelForEach(\"fast\")] public int Each(int item) => item; }", null },
        // Nullable tasks and nullable values.
        { Usings + "namespace N;\n[Workflow] public partial class W { [Step] public Task<int>? A() => Task.FromResult(1); [Step] public int B(int a) => a; }", "FLOW008" },
        { Usings + "namespace N;\n[Workflow] public partial class W { [Step] public ValueTask<int>? A() => new ValueTask<int>(1); }", "FLOW008" },
        { Usings + "namespace N;\n#nullable enable\n[Workflow] public partial class W { [Step] public string? A() => null; [Step] public int B(string a) => a.Length; }", "FLOW007" },
        { Usings + "namespace N;\n#nullable disable\n[Workflow] public partial class W { [Step] public string? A() => null; [Step] public int B(string a) => a.Length; [Step] public string C(string? a) => a; }", null },
        { Usings + "namespace N;\n#nullable enable\n[Workflow] public partial class W { [Step] public string? A() => null; [ParallelForEach(\"names\")] public string? B(string? name) => name; [Step] public int C(IReadOnlyList<string?> b, string? a) => b.Count; }", null },
        // Foreach items keep the nullability their source gave them (the 50,000-input fuzz run: CS8620 in generated code).
        { Usings + "namespace N;\n#nullable enable\n[Workflow] public partial class W { [Step] public string?[] Names() => new string?[] { \"a\" };\n#nullable disable\n[ParallelForEach(nameof(Names))] public int Len(string name) => name?.Length ?? 0; }", null },
        { Usings + "namespace N;\n#nullable enable\n[Workflow] public partial class W { [Step] public List<string?>[] Lists() => new[] { new List<string?>() };\n#nullable disable\n[ParallelForEach(nameof(Lists))] public int Count(List<string> list) => list.Count; }", null },
        { Usings + "namespace N;\n#nullable enable\n[Workflow] public partial class W { [Step] public IEnumerable<string?> Names() => new string?[] { \"a\" };\n#nullable disable\n[ParallelForEach(nameof(Names))] public int Len(object name) => 1; }", null },
        { Usings + "namespace N;\n#nullable enable\n[Workflow] public partial class W { [Step] public string?[] Names() => new string?[] { \"a\" }; [ParallelForEach(nameof(Names))] public int Len(string name) => name.Length; }", "FLOW010" },
        // A type parameter named like a generated member (the 50,000-input fuzz run: CS0102).
        { Usings + "namespace N;\n[Workflow] public partial class W<RunAsync> { [Step] public int A(RunAsync x) => 1; }", "FLOW008" },
        { Usings + "namespace N;\n[Workflow] public partial class W<OnStepFailed> { [Step] public int A(int x) => x; }", "FLOW008" },
        // 'await' is a name like any other, except inside the async methods Flows generates (CS4003).
        { Usings + "namespace N;\npublic sealed record @await(int Units);\n[Workflow] public partial class W { [Step] public Task<@await> A(int x) => Task.FromResult(new @await(x)); [Step, Retry(2)] public int B(@await a) => a.Units; [Step] public @await[] Many(@await a) => new[] { a }; [ParallelForEach(nameof(Many))] public int C(@await item) => item.Units; }", null },
        { Usings + "namespace @await.Inner { public sealed class Box { } [Workflow] public partial class W { [Step] public Box A() => new(); [Step] public (int @await, Box box) B(Box a) => (1, a); } }", null },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Either_the_generated_code_compiles_clean_or_a_FLOW_error_says_why(string source, string? expectedError)
    {
        foreach (var nullable in new[] { true, false })
        {
            foreach (var version in new[] { LanguageVersion.CSharp12, LanguageVersion.Latest })
            {
                var (generatedFiles, generatedProblems, flowErrors, userErrors) = await CheckAsync(source, nullable, version);
                var settings = $"{source.Substring(Usings.Length)}\n(nullable {(nullable ? "enable" : "disable")}, C# {version.ToDisplayString()})";
                if (expectedError is null)
                {
                    Assert.True(flowErrors.Length == 0, $"{settings}: unexpected FLOW errors:\n  " + string.Join("\n  ", flowErrors.Select(d => d.ToString())));
                    Assert.True(generatedFiles > 0, $"{settings}: nothing was generated.");
                    Assert.True(generatedProblems.Length == 0, $"{settings}: the generated code has problems:\n  " + string.Join("\n  ", generatedProblems.Select(d => d.ToString())));
                    Assert.True(userErrors.Length == 0, $"{settings}: the user's code has errors:\n  " + string.Join("\n  ", userErrors.Select(d => d.ToString())));
                }
                else
                {
                    Assert.True(flowErrors.Any(d => d.Id == expectedError), $"{settings}: expected {expectedError}, got:\n  " + string.Join("\n  ", flowErrors.Select(d => d.ToString())));
                    Assert.True(flowErrors.All(d => d.Location.IsInSource && !d.Location.SourceTree!.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)), $"{settings}: a FLOW error points into generated code.");
                    Assert.True(generatedFiles == 0, $"{settings}: code was generated despite a FLOW error.");
                }
            }
        }
    }

    [Theory]
    // A namespace and a type that spell the same dotted name (an error of its own, CS0101) must not get one hint name.
    [InlineData("namespace Outer { [Workflow] public partial class Inner { [Step] public int A(int x) => x; } }\npublic partial class Outer { [Workflow] public partial class Inner { [Step] public int A(int x) => x; } }")]
    // [Workflow] on two partial declarations of one class (CS0579) is one workflow, generated once.
    [InlineData("namespace N; [Workflow] public partial class W { [Step] public int A(int x) => x; }\n[Workflow] public partial class W { [Step] public int B(int a) => a; }")]
    [InlineData("namespace N; [Workflow, Workflow] public partial class W { [Step] public int A(int x) => x; }")]
    public async Task Code_with_errors_of_its_own_never_makes_the_generator_throw(string source)
    {
        foreach (var nullable in new[] { true, false })
        {
            var (generatedFiles, generatedProblems, _, userErrors) = await CheckAsync(Usings + source, nullable, LanguageVersion.Latest);
            Assert.NotEmpty(userErrors);
            Assert.True(generatedFiles > 0);
            Assert.True(generatedProblems.All(d => d.Severity < DiagnosticSeverity.Error), string.Join("\n", generatedProblems.Select(d => d.ToString())));
        }
    }

    internal static async Task<(int GeneratedFiles, Diagnostic[] GeneratedProblems, Diagnostic[] FlowErrors, Diagnostic[] UserErrors)> CheckAsync(string source, bool nullable, LanguageVersion version)
    {
        var parseOptions = new CSharpParseOptions(version);
        var compilation = CSharpCompilation.Create(
            "Unseen",
            new[] { CSharpSyntaxTree.ParseText(source, parseOptions, path: "Test.cs") },
            s_references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: nullable ? NullableContextOptions.Enable : NullableContextOptions.Disable, warningLevel: 9999));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new WorkflowGenerator().AsSourceGenerator() }, parseOptions: parseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var driverDiagnostics);
        var result = driver.GetRunResult();
        var exception = result.Results.Select(r => r.Exception).FirstOrDefault(e => e is not null);
        Assert.True(exception is null, "The generator threw: " + exception);
        Assert.DoesNotContain(driverDiagnostics, d => d.Id is "CS8784" or "CS8785");

        var all = output.GetDiagnostics();
        var generatedProblems = all.Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".Flows.g.cs", StringComparison.Ordinal) == true).ToArray();
        var userErrors = all.Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath == "Test.cs").ToArray();

        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new WorkflowAnalyzer(), new StepConcurrencyAnalyzer());
        var analyzerDiagnostics = await output.WithAnalyzers(analyzers).GetAllDiagnosticsAsync();
        Assert.DoesNotContain(analyzerDiagnostics, d => d.Id == "AD0001");
        var flowErrors = analyzerDiagnostics.Where(d => d.Id.StartsWith("FLOW", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error).ToArray();

        // The generator's FLOW017 goes with a skipped workflow: there with a Flows error (naming one of them), not without.
        var notGenerated = driverDiagnostics.Where(d => d.Id == "FLOW017").ToArray();
        if (flowErrors.Length > 0)
        {
            Assert.True(notGenerated.Length > 0, "A Flows error and no FLOW017:\n  " + string.Join("\n  ", flowErrors.Select(d => d.ToString())));
            Assert.All(notGenerated, d => Assert.Contains(flowErrors, e => d.GetMessage().Contains($"because of {e.Id} at Test.cs({e.Location.GetLineSpan().StartLinePosition.Line + 1},", StringComparison.Ordinal)));
        }
        else
        {
            Assert.True(notGenerated.Length == 0, "FLOW017 without a Flows error: " + string.Join("; ", notGenerated.Select(d => d.ToString())));
        }

        return (result.GeneratedTrees.Length, generatedProblems, flowErrors, userErrors);
    }
}
