using Flows.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace Flows.Analyzers.Tests.CodeFixes;

/// <summary>Every code fix that declares a batch fixer fixes two diagnostics of one document at once.</summary>
public class FixAllTests
{
    /// <summary>The code fixes these tests cover, by type; a new batch fixer without a test here fails the first test.</summary>
    private static readonly Type[] s_tested =
    {
        typeof(AsyncVoidStepCodeFix),
        typeof(BlockingCallCodeFix),
        typeof(LeaveGroupCodeFix),
        typeof(MakePartialCodeFix),
        typeof(MisnamedInputCodeFix), // FixAll of both its fixes: MisnamedInputTests
        typeof(UseOutcomeCodeFix),
    };

    [Fact]
    public void Every_code_fix_with_a_batch_fixer_has_a_FixAll_test()
    {
        var batch = typeof(MakePartialCodeFix).Assembly.GetTypes()
            .Where(type => typeof(CodeFixProvider).IsAssignableFrom(type) && !type.IsAbstract)
            .Where(type => ((CodeFixProvider)Activator.CreateInstance(type)!).GetFixAllProvider() == WellKnownFixAllProviders.BatchFixer)
            .OrderBy(type => type.Name, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(s_tested.OrderBy(type => type.Name, StringComparer.Ordinal), batch);
    }

    [Fact]
    public Task Two_async_void_steps() =>
        VerifyAsync(
            new AsyncVoidStepCodeFix(),
            "FLOW008",
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Notify
            {
                [Step] public async void Send() => await Task.Yield();
                [Step] public async void @event() => await Task.Yield();
            }
            """,
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Notify
            {
                [Step] public async Task Send() => await Task.Yield();
                [Step] public async Task @event() => await Task.Yield();
            }
            """);

    [Fact]
    public Task Two_blocking_calls_of_one_kind() =>
        VerifyAsync(
            new BlockingCallCodeFix(),
            "FLOW004",
            """
            using Flows;
            using System.Threading;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Load
            {
                [Step]
                public async Task<int> Total(Task<int> first, Task<int> second, CancellationToken @event)
                {
                    Thread.Sleep(1);
                    Thread.Sleep(2);
                    return 0;
                }
            }
            """,
            """
            using Flows;
            using System.Threading;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Load
            {
                [Step]
                public async Task<int> Total(Task<int> first, Task<int> second, CancellationToken @event)
                {
                    await Task.Delay(1, @event);
                    await Task.Delay(2, @event);
                    return 0;
                }
            }
            """);

    [Fact]
    public Task Two_members_leave_their_group() =>
        VerifyAsync(
            new LeaveGroupCodeFix(),
            "FLOW001",
            """
            using Flows;

            [Workflow]
            public partial class Report
            {
                [Step, Parallel("load")] public int Users() => 3;
                [Parallel("load")] public int Ratio(int users) => 10 / users;
                [Step][Parallel("load")] public int Share(int users) => 1 / users;
            }
            """,
            """
            using Flows;

            [Workflow]
            public partial class Report
            {
                [Step, Parallel("load")] public int Users() => 3;
                [Step] public int Ratio(int users) => 10 / users;
                [Step] public int Share(int users) => 1 / users;
            }
            """);

    [Fact]
    public Task Two_workflows_and_their_container_become_partial() =>
        VerifyAsync(
            new MakePartialCodeFix(),
            "FLOW005",
            """
            using Flows;

            public static class Host
            {
                [Workflow]
                public class Checkout { [Step] public int Load() => 1; }

                [Workflow]
                internal sealed class Refund { [Step] public int Start() => 1; }
            }
            """,
            """
            using Flows;

            public static partial class Host
            {
                [Workflow]
                public partial class Checkout { [Step] public int Load() => 1; }

                [Workflow]
                internal sealed partial class Refund { [Step] public int Start() => 1; }
            }
            """);

    [Fact]
    public Task Two_parameters_become_outcomes() =>
        VerifyAsync(
            new UseOutcomeCodeFix(),
            "FLOW011",
            """
            using Flows;

            public class Line { public int Quantity; }

            [Workflow]
            public partial class Order
            {
                [Step(ContinueOnError = true)] public Line Get() => new();
                [Step(ContinueOnError = true)] public int Count() => 1;
                [Step] public int Total(Line get, int count) => get.Quantity * count;
            }
            """,
            """
            using Flows;

            public class Line { public int Quantity; }

            [Workflow]
            public partial class Order
            {
                [Step(ContinueOnError = true)] public Line Get() => new();
                [Step(ContinueOnError = true)] public int Count() => 1;
                [Step] public int Total(Outcome<Line> get, Outcome<int> count) => get.Value.Quantity * count.Value;
            }
            """);

    /// <summary>
    /// FixAll over every <paramref name="diagnosticId"/> of the document (at least two), with the equivalence key of the
    /// first one's fix: the text must be <paramref name="after"/>, compile, and hold none of them.
    /// </summary>
    private static async Task VerifyAsync(CodeFixProvider fix, string diagnosticId, string before, string after)
    {
        var solution = CodeFixHarness.CreateSolution(new[] { before });
        var project = solution.Projects.Single();
        var document = project.Documents.Single();
        var (diagnostics, _) = await CodeFixHarness.AnalyzeAsync(project);
        var targets = diagnostics.Where(d => d.Id == diagnosticId).ToArray();
        Assert.True(targets.Length >= 2, $"Expected two or more {diagnosticId}, found:\n" + string.Join("\n", diagnostics.Select(CodeFixHarness.Describe)));
        Assert.Same(WellKnownFixAllProviders.BatchFixer, fix.GetFixAllProvider());

        var first = (await CodeFixHarness.OfferedAsync(fix, document, targets[0])).First();
        var changed = await CodeFixHarness.FixAllAsync(fix, document, first.EquivalenceKey, targets);
        var text = (await changed.GetDocument(document.Id)!.GetTextAsync()).ToString();
        Assert.Equal(after.Replace("\r\n", "\n", StringComparison.Ordinal), text.Replace("\r\n", "\n", StringComparison.Ordinal));

        var problems = await CodeFixHarness.CompareAsync(diagnostics, changed, targets);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        var (remaining, _) = await CodeFixHarness.AnalyzeAsync(changed.Projects.Single());
        Assert.DoesNotContain(remaining, d => d.Id == diagnosticId || d.Severity == DiagnosticSeverity.Error);
    }
}
