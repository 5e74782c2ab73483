using Xunit;

namespace Flows.Analyzers.Tests;

/// <summary>FLOW011: the output of a step that may fail is consumed as a plain value instead of <c>Outcome&lt;T&gt;</c>.</summary>
public class OutcomeRequiredTests
{
    [Fact]
    public Task ContinueOnError_step_consumed_as_its_plain_value_is_flagged_with_the_producer_as_additional_location() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Checkout
            {
                [Step(ContinueOnError = true)] public Task<decimal> {|#0:DiscountAsync|}() => Task.FromResult(0.1m);

                [Step] public decimal Total(decimal {|FLOW011,#0:discount|}) => 100 * (1 - discount);
            }
            """,
            new[] { "Total", "discount", "DiscountAsync", "Flows.Outcome<decimal>" });

    [Fact]
    public Task ContinueOnError_step_consumed_through_FromStep_as_a_base_type_is_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step(ContinueOnError = true)] public string {|#0:Coupon|}() => "SAVE10";

                [Step] public int Total([FromStep(nameof(Coupon))] object {|FLOW011,#0:code|}) => 1;
            }
            """,
            new[] { "Total", "code", "Coupon", "Flows.Outcome<string>" });

    [Fact]
    public Task Member_of_a_ContinueOnError_group_consumed_as_its_plain_value_is_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step, Parallel("quotes", Failure = FailurePolicy.ContinueOnError)] public int {|#0:Ups|}() => 5;
                [Step, Parallel("quotes")] public int Fedex() => 6;

                [Step] public int Cheapest(int {|FLOW011,#0:ups|}, Outcome<int> fedex) => ups;
            }
            """,
            new[] { "Cheapest", "ups", "Ups", "Flows.Outcome<int>" });

    // DESIGN.md: a ContinueOnError foreach is consumed as IReadOnlyList<Outcome<TResult>>. Taking the plain list is
    // the same mistake as taking a plain T, so it is FLOW011 (and its fix names the list of outcomes).
    [Fact]
    public Task ContinueOnError_foreach_consumed_as_a_list_of_plain_values_is_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Collections.Generic;

            [Workflow]
            public partial class Import
            {
                [Step] public int[] Rows() => new[] { 1, 2 };
                [ParallelForEach(nameof(Rows), ContinueOnError = true)] public int {|#0:Parse|}(int row) => row;

                [Step] public int Count(IReadOnlyList<int> {|FLOW011,#0:parse|}) => parse.Count;
            }
            """,
            new[] { "Count", "parse", "Parse", "System.Collections.Generic.IReadOnlyList<Flows.Outcome<int>>" });

    [Fact]
    public Task Outcome_parameters_are_not_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Collections.Generic;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Checkout
            {
                [Step(ContinueOnError = true)] public Task<decimal> DiscountAsync() => Task.FromResult(0.1m);
                [Step, Parallel("quotes", Failure = FailurePolicy.ContinueOnError)] public int Ups() => 5;
                [Step, Parallel("quotes")] public int Fedex() => 6;
                [Step] public int[] Rows() => new[] { 1, 2 };
                [ParallelForEach(nameof(Rows), ContinueOnError = true)] public int Parse(int row) => row;

                [Step]
                public decimal Total(Outcome<decimal> discount, Outcome<int> ups, Outcome<int> fedex, IReadOnlyList<Outcome<int>> parse) =>
                    discount.TryGetValue(out var value) ? value : 0;
            }
            """);

    [Fact]
    public Task Step_that_fails_the_run_is_consumed_as_a_plain_value() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step(ContinueOnError = false)] public decimal Discount() => 0.1m;
                [Step, Parallel("quotes", Failure = FailurePolicy.WaitAll)] public int Ups() => 5;
                [Step, Parallel("quotes")] public int Fedex() => 6;
                [Step] public decimal Total(decimal discount, int ups, int fedex) => discount;
            }
            """);

    [Fact]
    public Task Generated_code_is_not_flagged() =>
        AnalyzerVerifier.VerifyGeneratedCodeIsNotFlaggedAsync(
            """
            using Flows;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;

            namespace Shop;

            [Workflow]
            public partial class Import
            {
                [Step(ContinueOnError = true)] public Task<decimal> DiscountAsync() => Task.FromResult(0.1m);
                [Step] public int[] Rows(int rowCount, Outcome<decimal> discount) => new int[rowCount];
                [ParallelForEach(nameof(Rows), ContinueOnError = true)] public Task<int> Parse(int row) => Task.FromResult(row);
                [Step] public int Failed(IReadOnlyList<Outcome<int>> parse) => parse.Count(outcome => !outcome.IsSuccess);
            }
            """);
}
