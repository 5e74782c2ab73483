using Flows.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Tests;

/// <summary>
/// Workflows at the edges of what users write — unusual types, names and declarations — generate code that
/// compiles warning-free everywhere. No golden files: these pin that the output compiles, not how it reads.
/// </summary>
public sealed class EdgeCaseTests
{
    private const string Usings = "using System;\nusing System.Collections.Generic;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing Flows;\n\n";

    private static readonly Dictionary<string, string> s_sources = new(StringComparer.Ordinal)
    {
        ["NullableOutputs"] = Usings + """
            #nullable enable
            namespace Edge;

            [Workflow]
            public partial class NullableOutputs
            {
                [Step] public string? Name(string? hint) => hint;
                [Step] public int? Length(string? name) => name?.Length;
                [Step, Parallel("g")] public Task<string?> Upper(string? name) => Task.FromResult(name?.ToUpperInvariant());
                [Step, Parallel("g")] public int? Twice(int? length) => length * 2;
            }
            """,
        ["UnconstrainedGeneric"] = Usings + """
            #nullable enable
            namespace Edge;

            [Workflow]
            public partial class Holder<T>
            {
                [Step] public T? Find(IReadOnlyList<T> items) => items.Count > 0 ? items[0] : default;
                [Step, Parallel("g")] public bool Found(T? find) => find is not null;
                [Step, Parallel("g")] public ValueTask<T?> Again(T? find) => new(find);
            }
            """,
        ["StructGeneric"] = Usings + """
            namespace Edge;

            [Workflow]
            public partial class Maybe<T>
                where T : struct
            {
                [Step] public T? Parse(T? value) => value;
                [Step] public T Or(T? parse, T fallback) => parse ?? fallback;
            }
            """,
        ["TupleValues"] = Usings + """
            namespace Edge;

            [Workflow]
            public partial class TupleValues
            {
                [Step] public Task<(int Count, string Name)> Pair(string name) => Task.FromResult((name.Length, name));
                [Step, Parallel("last")] public int Item2((int Count, string Name) pair) => pair.Count;
                [Step, Parallel("last")] public string Rest((int Count, string Name) pair) => pair.Name;
                [Step, Parallel("last")] public int Item3(int item2Input) => item2Input;
            }
            """,
        ["NestedInGeneric"] = Usings + """
            namespace Edge;

            public partial class Outer<TKey>
                where TKey : notnull
            {
                [Workflow]
                public partial class Inner
                {
                    [Step] public Dictionary<TKey, List<int>> Index(TKey key) => new() { [key] = new List<int> { 1 } };
                    [Step] public int Count(Dictionary<TKey, List<int>> index) => index.Count;
                }
            }
            """,
        ["SameNameInTwoNamespaces"] = Usings + """
            namespace Edge.A
            {
                [Workflow] public partial class Job { [Step] public int Run2(int x) => x; }
            }

            namespace Edge.B
            {
                [Workflow] public partial class Job { [Step] public int Run2(int x) => x + 1; }
            }
            """,
        ["TypeNamedLikeItsNamespace"] = Usings + """
            namespace Edge.Orders
            {
                public sealed class Task { }

                public sealed class ValueTask { }

                [Workflow]
                public partial class Orders
                {
                    [Step] public Task Make() => new Task();
                    [Step] public System.Threading.Tasks.Task<int> Use(Task make) => System.Threading.Tasks.Task.FromResult(make.GetHashCode());
                }
            }
            """,
        ["StaticWithHooks"] = Usings + """
            namespace Edge;

            [Workflow]
            public static partial class StaticHooks
            {
                public static int Started;

                [Step] public static int One(int x) => x;
                [Step, Parallel("g")] public static Task<int> Two(int one, CancellationToken token) => Task.FromResult(one);
                [Step, Parallel("g")] public static void Three(int one) { }

                static partial void OnStepStarting(in StepContext context) => Interlocked.Increment(ref Started);
                static partial void OnStepFailed(in StepContext context, Exception exception) { }
            }
            """,
        ["AsyncEnumerableValue"] = Usings + """
            namespace Edge;

            [Workflow]
            public partial class Streams
            {
                [Step]
                public async IAsyncEnumerable<int> Numbers(int count)
                {
                    for (var i = 0; i < count; i++)
                    {
                        await Task.Yield();
                        yield return i;
                    }
                }

                [Step]
                public async Task<int> Sum(IAsyncEnumerable<int> numbers, CancellationToken cancellationToken)
                {
                    var sum = 0;
                    await foreach (var number in numbers.WithCancellation(cancellationToken).ConfigureAwait(false))
                    {
                        sum += number;
                    }

                    return sum;
                }
            }
            """,
        ["DefaultsParamsAndArrays"] = Usings + """
            namespace Edge;

            [Workflow]
            public partial class Defaults
            {
                [Step] public int[] Values(int first = 1, params int[] rest) => rest;
                [Step] public int[][] Jagged(int[] values) => new[] { values };
                [Step] public object Boxed(int[][] jagged, dynamic extra) => jagged.Length + (int)extra;
            }
            """,
        ["NoSteps"] = Usings + """
            namespace Edge;

            [Workflow]
            public partial class Empty
            {
            }
            """,
        ["OnlyVoidSteps"] = Usings + """
            namespace Edge;

            [Workflow]
            public partial class OnlyVoid
            {
                [Step] public void A() { }
                [Step, Parallel("g")] public void B() { }
                [Step, Parallel("g")] public void C(CancellationToken cancellationToken) { }
            }
            """,
        ["DataflowInputsNamedLikeGeneratedParameters"] = Usings + """
            namespace Edge;

            [Workflow(Scheduling = Scheduling.Dataflow)]
            public partial class DataflowNames
            {
                [Step] public Task<int> A(int control, string cancellationToken, CancellationToken token) => Task.FromResult(control + cancellationToken.Length);
                [Step] public int B(int a, int control) => a + control;
            }
            """,
        ["ForEachInputsNamedLikeGeneratedParameters"] = Usings + """
            namespace Edge;

            [Workflow]
            public partial class ForEachNames
            {
                [ParallelForEach("items", MaxDegreeOfParallelism = 2)]
                public int Square(int item, int control, string cancellationToken, CancellationToken token) => item * item + control + cancellationToken.Length;
            }
            """,
        ["HooksWithInputsNamedLikeGeneratedLocals"] = Usings + """
            namespace Edge;

            [Workflow]
            public partial class HookNames
            {
                [Step] public int A(int context, int started, int result) => context + started + result;
                [Step, Parallel("g")] public Task<int> B(int a, int context, CancellationToken cancellationToken) => Task.FromResult(a + context);
                [Step, Parallel("g")] public int C(int a, int exception) => a + exception;

                partial void OnStepStarting(in StepContext context) { }
                partial void OnStepCompleted(in StepContext context, TimeSpan elapsed) { }
                partial void OnStepFailed(in StepContext context, Exception exception) { }
            }
            """,
        ["InternalOuterPrivateWorkflow"] = Usings + """
            namespace Edge;

            internal sealed partial class Host
            {
                [Workflow]
                private sealed partial class Hidden
                {
                    [Step] private static int A(int x) => x;
                    [Step] private int B(int a) => a;
                }

                public static System.Threading.Tasks.ValueTask<int> Run() => new Hidden().RunAsync(1);
            }
            """,
    };

    public static IEnumerable<object[]> Cases() => s_sources.Keys.Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(Cases))]
    public void CompilesWithoutWarningsEverywhere(string name)
    {
        TestCompilation.AssertCompilesCleanEverywhere(s_sources[name]);
    }

    [Fact]
    public void SameNameInTwoNamespacesHasTwoHintNames()
    {
        var run = TestCompilation.Run(CompileSettings.Default, s_sources["SameNameInTwoNamespaces"]);

        Assert.Equal(new[] { "Edge.A.Job.Flows.g.cs", "Edge.B.Job.Flows.g.cs" }, run.Files.Select(file => file.HintName));
    }

    [Fact]
    public void FileLocalWorkflowIsNotGeneratedIntoAnotherFile()
    {
        // A file-local partial class cannot be continued in another file: generating would break a valid program.
        var run = TestCompilation.Run(CompileSettings.Default, Usings + """
            namespace Edge;

            [Workflow]
            file partial class Local
            {
                [Step] public int A(int x) => x;
            }
            """);

        var problems = run.OutputProblems();
        Assert.True(problems.IsEmpty, run.Describe(problems));
    }

    [Fact]
    public void NonPartialWorkflowGeneratesNothing()
    {
        var run = TestCompilation.Run(CompileSettings.Default, Usings + "namespace Edge; [Workflow] public class NotPartial { [Step] public int A(int x) => x; }");

        Assert.Null(run.Exception);
        Assert.Empty(run.Files);
    }

    // FLOW017: one per skipped workflow, on its name, naming the first error (where it is and what it says); none for a
    // workflow that is generated, even beside a skipped one.
    [Fact]
    public void SkippedWorkflowGetsOneFlow017NamingItsFirstError()
    {
        var source = Usings + "namespace Edge;\n"
            + "[Workflow] public partial class Good { [Step] public int A(int x) => x; }\n"
            + "[Workflow] public partial class Bad { [Step] public string A(int x) => \"\"; [Step] public int B(int a) => a; [Step] public int C(string missing, [FromStep(\"Nope\")] int b) => b; }\n";
        var run = TestCompilation.Run(CompileSettings.Default, source);

        Assert.Null(run.Exception);
        Assert.Single(run.Files);
        var diagnostic = Assert.Single(run.RunResult.Diagnostics);
        Assert.Equal("FLOW017", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.EndsWith("/docs/diagnostics/FLOW017.md", diagnostic.Descriptor.HelpLinkUri, StringComparison.Ordinal);

        var lines = source.Split('\n');
        var badLine = Array.FindIndex(lines, line => line.Contains("class Bad", StringComparison.Ordinal));
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(badLine, span.StartLinePosition.Line);
        Assert.Equal(lines[badLine].IndexOf("Bad", StringComparison.Ordinal), span.StartLinePosition.Character);
        Assert.Equal(3, span.EndLinePosition.Character - span.StartLinePosition.Character);

        var column = lines[badLine].IndexOf("int a", StringComparison.Ordinal) + "int ".Length + 1;
        Assert.Equal(
            $"RunAsync is not generated for 'Bad' because of FLOW007 at Source0.cs({badLine + 1},{column}): Parameter 'a' of step 'B' cannot be bound: step 'A' produces 'string', which is not a 'int'",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}
