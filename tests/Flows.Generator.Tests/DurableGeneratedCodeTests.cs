using Flows.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Flows.Generator.Tests;

/// <summary>
/// <c>[Workflow(Durable = true)]</c>: the workflows under <c>Workflows/Durable*.cs</c> generate their nested Durable class
/// (its golden files are checked by <see cref="GeneratedCodeTests"/> with the others), which compiles with no warning
/// even under TreatWarningsAsErrors with documentation diagnostics, and reads the same on every run; shapes the golden
/// cases leave out compile too. A workflow that is not durable, or whose project does not reference Flows.DurableTask,
/// generates no Durable class.
/// </summary>
public sealed class DurableGeneratedCodeTests
{
    private const string DurableClass = "public static class Durable";

    private const string Usings = "using System;\nusing System.Collections.Generic;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing Flows;\n\n";

    private static readonly Dictionary<string, string> s_edgeCases = new(StringComparer.Ordinal)
    {
        // Activity inputs in all three shapes: none (no value: CS8625 if null picked the options overload), one value as it
        // is (an argument, an item), and an object (several values, or a step context).
        ["ActivityInputShapes"] = Usings + """
            namespace S;

            [Workflow(Durable = true)]
            public partial class Shapes
            {
                [Step, Parallel("g")] public static int Seed() => 1;
                [Step, Parallel("g")] public static Task<string> NameAsync() => Task.FromResult("n");
                [Step] public static int[] Items(int seed) => new[] { seed, seed + 1 };
                [ParallelForEach(nameof(Items))] public static long Square(int item) => item * (long)item;
                [ParallelForEach(nameof(Items))] public static long Scaled(int item, int seed) => item * (long)seed;
                [ParallelForEach(nameof(Items))] public static long Counted(int item, StepContext context) => item + context.Count;
                [Step] public static string Total(IReadOnlyList<long> square, IReadOnlyList<long> scaled, IReadOnlyList<long> counted, string name) =>
                    $"{square.Count + scaled.Count + counted.Count}{name}";
            }
            """,
        ["InputsNamedLikeTheClientParameters"] = Usings + """
            namespace S;
            [Workflow(Durable = true)]
            public partial class W
            {
                [Step] public int First(int client, string instanceId) => client + instanceId.Length;
                [Step] public int Second(int first, int cancellationToken) => first + cancellationToken;
            }
            """,
        ["FirstSuccessGroupLast"] = Usings + """
            namespace S;
            [Workflow(Durable = true)]
            public partial class W
            {
                [Step] public int First(int x) => x;
                [Step, Parallel("pick", Failure = FailurePolicy.FirstSuccess)] public Task<string> A(int first) => Task.FromResult("a");
                [Step, Parallel("pick")] public string B(int first) => "b";
            }
            """,
        ["DataflowWithAfterContinueOnErrorAndForEach"] = Usings + """
            namespace S;
            [Workflow(Durable = true, Scheduling = Scheduling.Dataflow, TimeoutMilliseconds = 1000)]
            public partial class W
            {
                [Step] public Task Lint(string project) => Task.CompletedTask;
                [Step(ContinueOnError = true)] public int Restore(string project) => 1;
                [Step, After(nameof(Lint))] public string Build(Outcome<int> restore) => "x";
                [ParallelForEach(nameof(Items), MaxDegreeOfParallelism = 2), Timeout(100)] public int Each(int item) => item;
                [Step] public int[] Items(string build) => new[] { 1 };
                [Step] public string Last(IReadOnlyList<int> each, string build) => build;
            }
            """,
        ["EnumerableSourceAndForEachInAGroup"] = Usings + """
            namespace S;
            [Workflow(Durable = true)]
            public partial class W
            {
                [Step] public IEnumerable<string> Names(int n) => new[] { "a" };
                [ParallelForEach(nameof(Names), MaxDegreeOfParallelism = -1)] public int Len(string name) => name.Length;
                [Step, Parallel("g")] public int Sum(IReadOnlyList<int> len) => len.Count;
                [ParallelForEach(nameof(Len), MaxDegreeOfParallelism = 3), Parallel("g")] public Task<long> Twice(int value) => Task.FromResult((long)value);
            }
            """,
        ["ContinueOnErrorForEachInAContinueOnErrorGroup"] = Usings + """
            namespace S;
            [Workflow(Durable = true)]
            public partial class W
            {
                [Step] public int[] Items(int n) => new[] { n };
                [ParallelForEach(nameof(Items), ContinueOnError = true), Parallel("g", Failure = FailurePolicy.ContinueOnError)] public int Each(int item) => item;
                [Step, Parallel("g")] public string Other(int n) => "";
                [Step] public int Count(Outcome<IReadOnlyList<Outcome<int>>> each, Outcome<string> other) => 1;
            }
            """,
        ["KeywordNames"] = Usings + """
            namespace S.@class;
            [Workflow(Durable = true)]
            public partial class @event
            {
                [Step] public int @int(int @class) => @class;
                [Step] public int @return(int @int, string @string) => @int;
            }
            """,
        ["RecordWithPrimaryConstructor"] = Usings + """
            namespace S;
            public interface IDep { }
            [Workflow(Durable = true)]
            public partial record W(IDep Dep)
            {
                [Step] public int First(int x) => x;
            }
            """,
        ["NullableValues"] = Usings + """
            #nullable enable
            namespace S;
            [Workflow(Durable = true)]
            public partial class W
            {
                [Step] public string? First(int? x) => null;
                [Step, Parallel("g")] public ValueTask Ping(string? first) => default;
                [Step, Parallel("g")] public Task<int?> Len(string? first) => Task.FromResult(first?.Length);
            }
            """,
        ["GlobalNamespace"] = Usings + """
            [Workflow(Durable = true)]
            public partial class GlobalDurable
            {
                [Step] public int First(int x) => x;
            }
            """,
        ["NestedTypeAndArrayInput"] = Usings + """
            namespace S;
            public static partial class Outer
            {
                [Workflow(Durable = true)]
                public partial class W
                {
                    [Step] public int Count(string[] tags) => tags.Length;
                    [ParallelForEach("tags", MaxDegreeOfParallelism = 2, BatchSize = 3)] public string Up(string tag) => tag;
                }
            }
            """,
        ["NoResultWithWorkflowTimeout"] = Usings + """
            namespace S;
            [Workflow(Durable = true, TimeoutMilliseconds = 500)]
            public partial class W
            {
                [Step] public void Only(int x) { }
            }
            """,
        ["ContinueOnErrorStepLastWithRetry"] = Usings + """
            namespace S;
            [Workflow(Durable = true)]
            public partial class W
            {
                [Step] public int First(int x) => x;
                [Step(ContinueOnError = true), Retry(2)] public Task<int> Last(int first) => Task.FromResult(first);
            }
            """,
        ["ListSourceWithOutcomesRetryAndStepContext"] = Usings + """
            namespace S;
            [Workflow(Durable = true)]
            public partial class W
            {
                [Step] public int First(int x) => x;
                [Step] public List<int> Items(int first) => new() { first };
                [ParallelForEach(nameof(Items), ContinueOnError = true, MinSuccessRate = 0.5), Retry(2, RetryOn = new[] { typeof(InvalidOperationException) })] public Task<int> Each(int item, StepContext context) => Task.FromResult(item);
            }
            """,
        ["GroupMembersWithRetryAndTimeouts"] = Usings + """
            namespace S;
            [Workflow(Durable = true)]
            public partial class W
            {
                [Step, Parallel("g", Failure = FailurePolicy.WaitAll), Retry(2), Timeout(100)] public int A(int x) => x;
                [Step, Parallel("g"), Timeout(50)] public Task<int> B(int x, CancellationToken ct) => Task.FromResult(x);
                [Step(ContinueOnError = true), Parallel("h", TimeoutMilliseconds = 100)] public int C(int a) => a;
                [Step, Parallel("h")] public int D(int b) => b;
                [Step] public int E(Outcome<int> c, int d) => d;
            }
            """,
    };

    public static IEnumerable<object[]> DurableWorkflows() =>
        WorkflowSources.All.Keys.Where(IsDurableCase).Select(name => new object[] { name });

    [Fact]
    public void TheDurableCasesAreThere()
    {
        Assert.Equal(
            new[] { "DurableDataflow", "DurableForEach", "DurableHooks", "DurablePolicies", "DurableStatic", "DurableTravelQuote" },
            WorkflowSources.All.Keys.Where(IsDurableCase).ToArray());
    }

    [Theory]
    [MemberData(nameof(DurableWorkflows))]
    public void GeneratesTheDurableClass(string workflow)
    {
        var run = TestCompilation.AssertCompilesClean(CompileSettings.Default, WorkflowSources.Get(workflow));

        var text = Assert.Single(run.Files).Text;
        Assert.Contains(DurableClass, text, StringComparison.Ordinal);
        Assert.Contains("public const string OrchestrationName = \"Flows.Samples.Durable.", text, StringComparison.Ordinal);
        Assert.Contains("public static void Register(global::Microsoft.DurableTask.DurableTaskRegistry registry)", text, StringComparison.Ordinal);
        Assert.Contains(" ScheduleAsync(global::Microsoft.DurableTask.Client.DurableTaskClient client, ", text, StringComparison.Ordinal);
        Assert.Contains(" WaitForResultAsync(global::Microsoft.DurableTask.Client.DurableTaskClient client, string instanceId, ", text, StringComparison.Ordinal);
        Assert.Contains(" RunAsync(global::Microsoft.DurableTask.Client.DurableTaskClient client, ", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DurableWorkflows))]
    public void CompilesWithoutWarningsUnderTreatWarningsAsErrorsWithDocumentationDiagnostics(string workflow)
    {
        // What a user project with TreatWarningsAsErrors and GenerateDocumentationFile sees, under nullable on and off,
        // C# 12 and latest: not one diagnostic at warning severity or above from the generated file.
        foreach (var settings in CompileSettings.All)
        {
            var parseOptions = settings.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
            var compilation = CSharpCompilation.Create(
                "Flows.Generator.Tests.Durable",
                new[] { CSharpSyntaxTree.ParseText(WorkflowSources.Get(workflow), parseOptions, workflow + ".cs") },
                TestCompilation.References,
                TestCompilation.Options(settings).WithGeneralDiagnosticOption(ReportDiagnostic.Error));
            CSharpGeneratorDriver.Create(new[] { new WorkflowGenerator().AsSourceGenerator() }, parseOptions: parseOptions)
                .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var driverDiagnostics);

            var generated = output.SyntaxTrees.Except(compilation.SyntaxTrees).ToHashSet();
            Assert.Single(generated);
            var problems = output.GetDiagnostics()
                .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generated.Contains(tree))
                .Concat(driverDiagnostics)
                .ToArray();
            Assert.True(problems.Length == 0, $"{workflow} ({settings}):\n" + string.Join("\n", problems.Select(d => d.ToString())));
        }
    }

    [Theory]
    [MemberData(nameof(DurableWorkflows))]
    public void IsDeterministic(string workflow)
    {
        // Two compilations and two drivers: nothing carries over from the first run to the second.
        var source = WorkflowSources.Get(workflow);
        var first = TestCompilation.Run(CompileSettings.Default, source).Files.Single();
        var second = TestCompilation.Run(CompileSettings.Default, source).Files.Single();

        Assert.Equal(first.HintName, second.HintName);
        if (first.Text != second.Text)
        {
            Assert.Fail($"{workflow} generates different code on a second run:\n{Golden.FirstDifference(first.Text, second.Text)}");
        }
    }

    [Fact]
    public void NoOtherWorkflowGeneratesADurableClass()
    {
        // The compilations reference Flows.DurableTask, so only the option stands between these workflows and a Durable class.
        var sources = WorkflowSources.All.Where(pair => !IsDurableCase(pair.Key)).Select(pair => pair.Value).ToArray();
        var run = TestCompilation.AssertCompilesClean(CompileSettings.Default, sources);

        Assert.Equal(sources.Length, run.Files.Count);
        foreach (var file in run.Files)
        {
            Assert.DoesNotContain(DurableClass, file.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Microsoft.DurableTask", file.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Flows.DurableTask", file.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DurableFalse_GeneratesWhatNoOptionGenerates()
    {
        var withoutOption = TestCompilation.AssertCompilesClean(CompileSettings.Default, Shipments("[Workflow]")).Files.Single();
        var durableFalse = TestCompilation.AssertCompilesClean(CompileSettings.Default, Shipments("[Workflow(Durable = false)]")).Files.Single();
        var durableTrue = TestCompilation.AssertCompilesClean(CompileSettings.Default, Shipments("[Workflow(Durable = true)]")).Files.Single();

        Assert.DoesNotContain(DurableClass, withoutOption.Text, StringComparison.Ordinal);
        Assert.Equal(withoutOption.Text, durableFalse.Text);
        Assert.Contains(DurableClass, durableTrue.Text, StringComparison.Ordinal);

        // The Durable class (after a blank line) is all that Durable = true adds: the in-process code before it is the same.
        var durableStart = durableTrue.Text.IndexOf("\n\n        /// <summary>\n        /// <c>Shipments</c> as a Durable Task orchestration", StringComparison.Ordinal);
        Assert.True(durableStart > 0, "No Durable class summary.");
        var inProcess = durableTrue.Text.Substring(0, durableStart + 1);
        Assert.True(withoutOption.Text.StartsWith(inProcess, StringComparison.Ordinal), Golden.FirstDifference(withoutOption.Text, durableTrue.Text));
    }

    [Fact]
    public void DurableWithoutFlowsDurableTask_GeneratesOnlyTheInProcessRun()
    {
        // FLOW016 (an analyzer's) tells the user; the generator stays silent and still writes RunAsync, which compiles.
        var settings = CompileSettings.Default;
        var compilation = TestCompilation.Create(settings, TestCompilation.ReferencesWithoutDurableTask, new[] { ("Shipments.cs", Shipments("[Workflow(Durable = true)]")) });
        var run = TestCompilation.Run(compilation, settings);

        Assert.Null(run.Exception);
        Assert.Empty(run.RunResult.Diagnostics);
        var problems = run.OutputProblems();
        Assert.True(problems.IsEmpty, run.Describe(problems));
        var text = Assert.Single(run.Files).Text;
        Assert.DoesNotContain(DurableClass, text, StringComparison.Ordinal);
        Assert.Contains(" RunAsync(int parcels, ", text, StringComparison.Ordinal);
    }

    public static IEnumerable<object[]> EdgeCases() => s_edgeCases.Keys.Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void EdgeCasesGenerateADurableClassThatCompilesEverywhere(string name)
    {
        // No golden files: these pin that shapes the golden cases leave out generate a Durable class that compiles.
        foreach (var run in TestCompilation.AssertCompilesCleanEverywhere(s_edgeCases[name]))
        {
            var text = Assert.Single(run.Files).Text;
            Assert.True(text.Contains(DurableClass, StringComparison.Ordinal), $"{name} ({run.Settings}): no Durable class.\n{run.Describe(run.OutputProblems())}");
        }
    }

    private static bool IsDurableCase(string name) => name.StartsWith("Durable", StringComparison.Ordinal);

    private static string Shipments(string attribute) => $$"""
        using System.Threading;
        using System.Threading.Tasks;
        using Flows;

        namespace Shop;

        {{attribute}}
        public partial class Shipments
        {
            [Step]
            public int Weigh(int parcels) => parcels * 3;

            [Step, Parallel("carriers")]
            public Task<decimal> Express(int weigh, CancellationToken cancellationToken) => Task.FromResult(weigh * 2.5m);

            [Step, Parallel("carriers")]
            public decimal Standard(int weigh) => weigh * 1.5m;

            [Step]
            public decimal Cheapest(decimal express, decimal standard) => express < standard ? express : standard;
        }
        """;
}
