using Flows.CodeFixes;
using Xunit;

namespace Flows.Analyzers.Tests;

/// <summary>Each code fix leaves the expected text, and that text compiles.</summary>
public class CodeFixTests
{
    [Fact]
    public Task Make_partial_fixes_the_workflow_and_every_containing_type() =>
        CodeFixVerifier.VerifyAsync(
            new MakePartialCodeFix(),
            "FLOW005",
            """
            using Flows;

            public class Outer
            {
                [Workflow]
                internal sealed class Checkout
                {
                    [Step] public int Load() => 1;
                }
            }
            """,
            """
            using Flows;

            public partial class Outer
            {
                [Workflow]
                internal sealed partial class Checkout
                {
                    [Step] public int Load() => 1;
                }
            }
            """);

    [Fact]
    public Task Make_partial_adds_the_modifier_where_there_was_none() =>
        CodeFixVerifier.VerifyAsync(
            new MakePartialCodeFix(),
            "FLOW005",
            """
            using Flows;

            [Workflow]
            class Checkout
            {
                [Step] public int Load() => 1;
            }
            """,
            """
            using Flows;

            [Workflow]
            partial class Checkout
            {
                [Step] public int Load() => 1;
            }
            """);

    [Fact]
    public Task Async_void_step_returns_task() =>
        CodeFixVerifier.VerifyAsync(
            new AsyncVoidStepCodeFix(),
            "FLOW008",
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Notify
            {
                [Step] public async void Send() => await Task.Yield();
            }
            """,
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Notify
            {
                [Step] public async Task Send() => await Task.Yield();
            }
            """);

    [Fact]
    public Task Async_void_fix_is_not_offered_for_other_signature_problems() =>
        CodeFixVerifier.NoFixOfferedAsync(
            new AsyncVoidStepCodeFix(),
            "FLOW008",
            """
            using Flows;

            [Workflow]
            public partial class Notify
            {
                [Step] public int Send<T>() => 1;
            }
            """);

    [Fact]
    public Task Dependent_member_leaves_its_group() =>
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
                [Step, Parallel("load")] public int Ratio(int users, int orders) => orders / users;
            }
            """,
            """
            using Flows;

            [Workflow]
            public partial class Report
            {
                [Step, Parallel("load")] public int Users() => 3;
                [Step, Parallel("load")] public int Orders() => 5;
                [Step] public int Ratio(int users, int orders) => orders / users;
            }
            """);

    // Found by the fuzz suite's code-fix invariant: out of a ContinueOnError group a step's output is no longer an
    // Outcome<T>, so the steps that consume it as one no longer bind (FLOW007). The fix keeps it one.
    [Fact]
    public Task Member_of_a_continue_on_error_group_keeps_an_outcome_output_when_it_leaves() =>
        CodeFixVerifier.VerifyAsync(
            new LeaveGroupCodeFix(),
            "FLOW001",
            """
            using Flows;

            [Workflow]
            public partial class Notify
            {
                [Step, Parallel("send", Failure = FailurePolicy.ContinueOnError)] public string Email(int alert) => "e";
                [Step, Parallel("send")] public string Push(int alert) => "p";
                [Parallel("send")] public string Sms([FromStep(nameof(Email))] Outcome<string> email) => "s";
                [Step] public int Report(Outcome<string> push, Outcome<string> sms) => 1;
            }
            """,
            """
            using Flows;

            [Workflow]
            public partial class Notify
            {
                [Step, Parallel("send", Failure = FailurePolicy.ContinueOnError)] public string Email(int alert) => "e";
                [Step, Parallel("send")] public string Push(int alert) => "p";
                [Step(ContinueOnError = true)] public string Sms([FromStep(nameof(Email))] Outcome<string> email) => "s";
                [Step] public int Report(Outcome<string> push, Outcome<string> sms) => 1;
            }
            """);

    [Fact]
    public Task Member_marked_only_parallel_stays_a_step_when_it_leaves_its_group() =>
        CodeFixVerifier.VerifyAsync(
            new LeaveGroupCodeFix(),
            "FLOW001",
            """
            using Flows;

            [Workflow]
            public partial class Report
            {
                [Parallel("load")] public int Users() => 3;
                [Parallel("load")] public int Ratio(int users) => 10 / users;
            }
            """,
            """
            using Flows;

            [Workflow]
            public partial class Report
            {
                [Parallel("load")] public int Users() => 3;
                [Step] public int Ratio(int users) => 10 / users;
            }
            """);

    [Fact]
    public Task Plain_parameter_of_a_step_that_may_fail_becomes_an_outcome_and_its_uses_read_value() =>
        CodeFixVerifier.VerifyAsync(
            new UseOutcomeCodeFix(),
            "FLOW011",
            """
            using Flows;

            [Workflow]
            public partial class Prices
            {
                [Step(ContinueOnError = true)] public decimal Discount() => 0.1m;
                [Step] public decimal Total(decimal discount) => 100m * (1 - discount) + discount;
            }
            """,
            """
            using Flows;

            [Workflow]
            public partial class Prices
            {
                [Step(ContinueOnError = true)] public decimal Discount() => 0.1m;
                [Step] public decimal Total(Outcome<decimal> discount) => 100m * (1 - discount.Value) + discount.Value;
            }
            """);

    // The fuzz suite (mutation:1046017102): a foreach's output is the list of its items' results, not its method's
    // return type; in a ContinueOnError group, the Outcome is of the list.
    [Fact]
    public Task Parameter_taking_a_foreach_that_may_fail_becomes_an_outcome_of_the_list() =>
        CodeFixVerifier.VerifyAsync(
            new UseOutcomeCodeFix(),
            "FLOW011",
            """
            using System.Collections.Generic;
            using System.Linq;
            using Flows;

            [Workflow]
            public partial class Export
            {
                [Step] public static IReadOnlyList<int> Pages(int count) => Enumerable.Range(1, count).ToArray();
                [Parallel("render", Failure = FailurePolicy.ContinueOnError), ParallelForEach(nameof(Pages))] public int Render(int page) => page * 10;
                [Parallel("render")] public static int Cover(int count) => count;
                [Step] public static long Total(IReadOnlyList<int> render) => render.Sum(size => (long)size);
            }
            """,
            """
            using System.Collections.Generic;
            using System.Linq;
            using Flows;

            [Workflow]
            public partial class Export
            {
                [Step] public static IReadOnlyList<int> Pages(int count) => Enumerable.Range(1, count).ToArray();
                [Parallel("render", Failure = FailurePolicy.ContinueOnError), ParallelForEach(nameof(Pages))] public int Render(int page) => page * 10;
                [Parallel("render")] public static int Cover(int count) => count;
                [Step] public static long Total(Outcome<IReadOnlyList<int>> render) => render.Value.Sum(size => (long)size);
            }
            """);

    // The fuzz suite (mutation:1225913501): a step that returns an Outcome produces it as it is.
    [Fact]
    public Task Parameter_taking_a_step_that_returns_an_outcome_becomes_that_outcome() =>
        CodeFixVerifier.VerifyAsync(
            new UseOutcomeCodeFix(),
            "FLOW011",
            """
            using Flows;

            [Workflow]
            public partial class Shipping
            {
                [Step] public Outcome<int> Zone(string address) => Outcome<int>.Success(address.Length);
                [Step] public decimal Cost(int zone, int weight) => zone * weight;
            }
            """,
            """
            using Flows;

            [Workflow]
            public partial class Shipping
            {
                [Step] public Outcome<int> Zone(string address) => Outcome<int>.Success(address.Length);
                [Step] public decimal Cost(Outcome<int> zone, int weight) => zone.Value * weight;
            }
            """);
}
