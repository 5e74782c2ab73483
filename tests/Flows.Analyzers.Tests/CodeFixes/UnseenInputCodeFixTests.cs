using Flows.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace Flows.Analyzers.Tests.CodeFixes;

/// <summary>
/// The shapes the "unseen input" harness found the code fixes failing on (throwing, leaving code that does not compile,
/// leaving their diagnostic), each as written by hand with the text the fix must leave.
/// </summary>
public class UnseenInputCodeFixTests
{
    // ---- FLOW004 ------------------------------------------------------------------------------------------------

    [Fact]
    public Task Sleep_passes_a_token_named_after_a_keyword_escaped() =>
        CodeFixVerifier.VerifyAsync(
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
                public async Task Wait(CancellationToken @checked)
                {
                    Thread.Sleep(1);
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
                public async Task Wait(CancellationToken @checked)
                {
                    await Task.Delay(1, @checked);
                }
            }
            """);

    [Fact]
    public Task Sleep_with_a_named_argument_passes_it_by_position() =>
        CodeFixVerifier.VerifyAsync(
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
                public async Task Wait(CancellationToken ct)
                {
                    Thread.Sleep(millisecondsTimeout: 5);
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
                public async Task Wait(CancellationToken ct)
                {
                    await Task.Delay(5, ct);
                }
            }
            """);

    [Fact]
    public Task Sleep_in_a_namespace_that_hides_System_names_Task_from_global() =>
        CodeFixVerifier.VerifyAsync(
            new BlockingCallCodeFix(),
            "FLOW004",
            """
            using Flows;

            namespace Shop.System
            {
                [Workflow]
                public partial class Load
                {
                    [Step]
                    public async global::System.Threading.Tasks.Task Wait()
                    {
                        global::System.Threading.Thread.Sleep(1);
                    }
                }
            }
            """,
            """
            using Flows;

            namespace Shop.System
            {
                [Workflow]
                public partial class Load
                {
                    [Step]
                    public async global::System.Threading.Tasks.Task Wait()
                    {
                        await global::System.Threading.Tasks.Task.Delay(1);
                    }
                }
            }
            """);

    // ---- FLOW011 ------------------------------------------------------------------------------------------------

    [Fact]
    public Task Outcome_of_a_parameter_whose_type_is_a_plain_name() =>
        CodeFixVerifier.VerifyAsync(
            new UseOutcomeCodeFix(),
            "FLOW011",
            """
            using Flows;

            public class Line { public int Quantity; }

            [Workflow]
            public partial class Order
            {
                [Step(ContinueOnError = true)] public Line Get() => new();
                [Step] public int Count(Line get) => get.Quantity + get.Quantity;
            }
            """,
            """
            using Flows;

            public class Line { public int Quantity; }

            [Workflow]
            public partial class Order
            {
                [Step(ContinueOnError = true)] public Line Get() => new();
                [Step] public int Count(Outcome<Line> get) => get.Value.Quantity + get.Value.Quantity;
            }
            """);

    public static TheoryData<string, string> TypeSpellings() => new()
    {
        { "Line", "Line" },
        { "Shop.Line", "Shop.Line" },
        { "global::Shop.Line", "global::Shop.Line" },
        { "L", "L" },
        { "Holder.Inner", "Holder.Inner" },
        { "Box<Line?>", "Box<Line?>" },
        { "Line?", "Line?" },
        { "int?", "int?" },
        { "Line[][]", "Line[][]" },
        { "(int A, Line @class)", "(int A, Line @class)" },
        { "decimal", "decimal" },
        { "@event", "@event" },
        { "System.Collections.Generic.List<int>", "System.Collections.Generic.List<int>" },
    };

    [Theory]
    [MemberData(nameof(TypeSpellings))]
    public Task Outcome_keeps_the_parameter_type_as_written(string type, string expected) =>
        CodeFixVerifier.VerifyAsync(
            new UseOutcomeCodeFix(),
            "FLOW011",
            $$"""
            using Flows;
            using Shop;
            using L = Shop.Line;

            namespace Shop
            {
                public class Line { }
                public class Holder { public class Inner { } }
                public class Box<T> { }
                public class @event { }

                [Workflow]
                public partial class Order
                {
                    [Step(ContinueOnError = true)] public {{type}} Load() => default!;
                    [Step] public string Describe({{type}} load) => $"{load}";
                }
            }
            """,
            $$"""
            using Flows;
            using Shop;
            using L = Shop.Line;

            namespace Shop
            {
                public class Line { }
                public class Holder { public class Inner { } }
                public class Box<T> { }
                public class @event { }

                [Workflow]
                public partial class Order
                {
                    [Step(ContinueOnError = true)] public {{type}} Load() => default!;
                    [Step] public string Describe(Outcome<{{expected}}> load) => $"{load.Value}";
                }
            }
            """);

    [Fact]
    public Task Outcome_of_a_wider_parameter_takes_the_produced_type() =>
        CodeFixVerifier.VerifyAsync(
            new UseOutcomeCodeFix(),
            "FLOW011",
            """
            using Flows;

            [Workflow]
            public partial class Order
            {
                [Step(ContinueOnError = true)] public string Name() => "x";
                [Step] public int Length(object name) => name.GetHashCode();
            }
            """,
            """
            using Flows;

            [Workflow]
            public partial class Order
            {
                [Step(ContinueOnError = true)] public string Name() => "x";
                [Step] public int Length(Outcome<string> name) => name.Value.GetHashCode();
            }
            """);

    [Fact]
    public Task Outcome_keeps_nameof_and_the_names_of_anonymous_members_and_tuple_elements() =>
        CodeFixVerifier.VerifyAsync(
            new UseOutcomeCodeFix(),
            "FLOW011",
            """
            using Flows;

            [Workflow]
            public partial class Order
            {
                [Step(ContinueOnError = true)] public int Count() => 1;
                [Step] public string Describe(int count) => nameof(count) + new { count } + (count, 1).count;
            }
            """,
            """
            using Flows;

            [Workflow]
            public partial class Order
            {
                [Step(ContinueOnError = true)] public int Count() => 1;
                [Step] public string Describe(Outcome<int> count) => nameof(count) + new { count = count.Value } + (count: count.Value, 1).count;
            }
            """);

    [Fact]
    public Task Outcome_in_a_namespace_named_Flows_is_qualified_from_global() =>
        CodeFixVerifier.VerifyAsync(
            new UseOutcomeCodeFix(),
            "FLOW011",
            """
            namespace Shop.Flows
            {
                [global::Flows.Workflow]
                public partial class Order
                {
                    [global::Flows.Step(ContinueOnError = true)] public int Count() => 1;
                    [global::Flows.Step] public int Twice(int count) => count * 2;
                }
            }
            """,
            """
            namespace Shop.Flows
            {
                [global::Flows.Workflow]
                public partial class Order
                {
                    [global::Flows.Step(ContinueOnError = true)] public int Count() => 1;
                    [global::Flows.Step] public int Twice(global::Flows.Outcome<int> count) => count.Value * 2;
                }
            }
            """);

    [Fact]
    public Task Outcome_is_not_offered_where_the_parameter_is_assigned() =>
        CodeFixVerifier.NoFixOfferedAsync(
            new UseOutcomeCodeFix(),
            "FLOW011",
            """
            using Flows;

            [Workflow]
            public partial class Order
            {
                [Step(ContinueOnError = true)] public int Count() => 1;
                [Step] public int Twice(int count) { count *= 2; return count; }
            }
            """);

    // ---- FLOW005 ------------------------------------------------------------------------------------------------

    [Fact]
    public Task Make_partial_reaches_static_record_and_struct_containers() =>
        CodeFixVerifier.VerifyAsync(
            new MakePartialCodeFix(),
            "FLOW005",
            """
            using Flows;

            public static class Host
            {
                public record Settings
                {
                    internal struct Slot
                    {
                        [Workflow]
                        public class Checkout
                        {
                            [Step] public int Load() => 1;
                        }
                    }
                }
            }
            """,
            """
            using Flows;

            public static partial class Host
            {
                public partial record Settings
                {
                    internal partial struct Slot
                    {
                        [Workflow]
                        public partial class Checkout
                        {
                            [Step] public int Load() => 1;
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task Make_partial_on_a_container_makes_every_workflow_inside_partial() =>
        CodeFixVerifier.VerifyAsync(
            new MakePartialCodeFix(),
            "FLOW005",
            """
            using WorkflowAlias = Flows.WorkflowAttribute;

            public class Outer
            {
                [WorkflowAlias]
                public class Checkout { [Flows.Step] public int Load() => 1; }

                [Flows.WorkflowAttribute()]
                public class Refund { [Flows.Step] public int Start() => 1; }
            }
            """,
            """
            using WorkflowAlias = Flows.WorkflowAttribute;

            public partial class Outer
            {
                [WorkflowAlias]
                public partial class Checkout { [Flows.Step] public int Load() => 1; }

                [Flows.WorkflowAttribute()]
                public partial class Refund { [Flows.Step] public int Start() => 1; }
            }
            """);

    // ---- FLOW001 ------------------------------------------------------------------------------------------------

    [Fact]
    public Task Leave_group_removes_the_list_that_held_only_parallel() =>
        CodeFixVerifier.VerifyAsync(
            new LeaveGroupCodeFix(),
            "FLOW001",
            """
            using Flows;

            [Workflow]
            public partial class Report
            {
                [Step][Parallel("load")] public int Users() => 3;
                [Step]
                [Parallel("load")]
                public int Ratio(int users) => 10 / users;
            }
            """,
            """
            using Flows;

            [Workflow]
            public partial class Report
            {
                [Step][Parallel("load")] public int Users() => 3;
                [Step]
                public int Ratio(int users) => 10 / users;
            }
            """);

    [Fact]
    public Task Leave_group_replaces_a_qualified_parallel_attribute_with_a_step_that_resolves() =>
        CodeFixVerifier.VerifyAsync(
            new LeaveGroupCodeFix(),
            "FLOW001",
            """
            [Flows.Workflow]
            public partial class Report
            {
                [Flows.ParallelAttribute("load")] public int Users() => 3;
                [Flows.ParallelAttribute("load")] public int Ratio(int users) => 10 / users;
            }
            """,
            """
            [Flows.Workflow]
            public partial class Report
            {
                [Flows.ParallelAttribute("load")] public int Users() => 3;
                [Flows.Step] public int Ratio(int users) => 10 / users;
            }
            """);

    [Fact]
    public Task Leave_group_moves_the_group_options_to_another_member() =>
        CodeFixVerifier.VerifyAsync(
            new LeaveGroupCodeFix(),
            "FLOW001",
            """
            using Flows;

            [Workflow]
            public partial class Report
            {
                [Step, Parallel("load")] public int Users() => 3;
                [Step, Parallel("load")] public int Orders() => 5;
                [Step, Parallel("load", Failure = FailurePolicy.WaitAll, TimeoutMilliseconds = 500)] public int Ratio(int users) => 10 / users;
            }
            """,
            """
            using Flows;

            [Workflow]
            public partial class Report
            {
                [Step, Parallel("load", Failure = FailurePolicy.WaitAll, TimeoutMilliseconds = 500)] public int Users() => 3;
                [Step, Parallel("load")] public int Orders() => 5;
                [Step] public int Ratio(int users) => 10 / users;
            }
            """);

    [Fact]
    public Task Leave_group_is_not_offered_when_the_consumer_is_the_groups_first_member() =>
        CodeFixVerifier.NoFixOfferedAsync(
            new LeaveGroupCodeFix(),
            "FLOW001",
            """
            using Flows;

            [Workflow]
            public partial class Report
            {
                [Step, Parallel("load")] public int Ratio(int users) => 10 / users;
                [Step, Parallel("load")] public int Users() => 3;
            }
            """);

    // ---- FLOW008 ------------------------------------------------------------------------------------------------

    [Fact]
    public Task Async_void_in_a_namespace_that_hides_System_returns_global_Task() =>
        CodeFixVerifier.VerifyAsync(
            new AsyncVoidStepCodeFix(),
            "FLOW008",
            """
            namespace Shop.System
            {
                [Flows.Workflow]
                public partial class Notify
                {
                    [Flows.Step] public async void Send() => await global::System.Threading.Tasks.Task.Yield();
                }
            }
            """,
            """
            namespace Shop.System
            {
                [Flows.Workflow]
                public partial class Notify
                {
                    [Flows.Step] public async global::System.Threading.Tasks.Task Send() => await global::System.Threading.Tasks.Task.Yield();
                }
            }
            """);

    [Fact]
    public Task Async_void_fix_is_not_offered_where_the_method_implements_a_void_interface_method() =>
        CodeFixVerifier.NoFixOfferedAsync(
            new AsyncVoidStepCodeFix(),
            "FLOW008",
            """
            using Flows;
            using System.Threading.Tasks;

            public interface ISender { void Send(); }

            [Workflow]
            public partial class Notify : ISender
            {
                [Step] public async void Send() => await Task.Yield();
            }
            """);

    [Fact]
    public async Task Async_void_fix_is_offered_for_the_async_void_diagnostic_only_when_the_step_is_also_generic()
    {
        var solution = CodeFixHarness.CreateSolution(new[]
        {
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Notify
            {
                [Step] public async void Send<T>() => await Task.Yield();
            }
            """,
        });
        var project = solution.Projects.Single();
        var document = project.Documents.Single();
        var diagnostics = (await CodeFixHarness.AnalyzeAsync(project)).Diagnostics.Where(d => d.Id == "FLOW008").ToArray();
        Assert.Equal(2, diagnostics.Length);

        var offered = new List<(string Message, int Actions)>();
        foreach (var diagnostic in diagnostics)
        {
            offered.Add((diagnostic.GetMessage(), (await CodeFixHarness.OfferedAsync(new AsyncVoidStepCodeFix(), document, diagnostic)).Count));
        }

        Assert.Equal(1, offered.Single(o => o.Message.Contains("not void", StringComparison.Ordinal)).Actions);
        Assert.Equal(0, offered.Single(o => o.Message.Contains("generic", StringComparison.Ordinal)).Actions);
    }
}
