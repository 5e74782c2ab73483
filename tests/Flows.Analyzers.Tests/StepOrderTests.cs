using Xunit;

namespace Flows.Analyzers.Tests;

/// <summary>FLOW006: a step consumes the output of a step that runs later, its own output, or steps form a cycle.</summary>
public class StepOrderTests
{
    [Fact]
    public Task Consuming_a_step_declared_later_is_flagged_at_the_parameter() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Checkout
            {
                [Step] public decimal Total(decimal {|FLOW006,#0:tax|}) => tax * 2;

                [Step] public Task<decimal> {|#0:TaxAsync|}() => Task.FromResult(0.2m);
            }
            """,
            new[] { "Total", "tax", "step 'TaxAsync' runs later" });

    [Fact]
    public Task Consuming_a_later_parallel_group_is_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step] public int Load() => 1;
                [Step] public int Total(int load, [FromStep(nameof(Audit))] int {|FLOW006,#0:audited|}) => load + audited;
                [Step, Parallel("late")] public int {|#0:Audit|}(int load) => load;
                [Step, Parallel("late")] public int Notify(int load) => load;
            }
            """,
            new[] { "Total", "audited", "step 'Audit' runs later" });

    [Fact]
    public Task Consuming_its_own_output_is_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Counter
            {
                [Step] public int CountAsync(int {|FLOW006:count|}) => count + 1;
            }
            """,
            new[] { "CountAsync", "count", "it is the step's own output" });

    [Fact]
    public Task Foreach_reading_its_own_output_is_flagged_at_the_source() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Counter
            {
                [ParallelForEach({|FLOW006:nameof(Expand)|})] public int Expand(int item) => item;
            }
            """,
            new[] { "Expand", "Expand", "a foreach cannot read its own output" });

    [Fact]
    public Task After_naming_a_later_step_is_flagged_at_the_argument() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step, After({|FLOW006,#0:nameof(Save)|})] public void Notify() { }
                [Step] public void {|#0:Save|}() { }
            }
            """,
            new[] { "Notify", "Save", "step 'Save' runs later" });

    [Fact]
    public Task After_naming_the_step_itself_is_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow(Scheduling = Scheduling.Dataflow)]
            public partial class Checkout
            {
                [Step] public void Save() { }
                [Step, After({|FLOW006:nameof(Notify)|})] public void Notify() { }
            }
            """,
            new[] { "Notify", "Notify", "a step cannot run after itself" });

    [Fact]
    public Task Dataflow_cycle_is_flagged_once_at_the_first_step_of_the_cycle() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow(Scheduling = Scheduling.Dataflow)]
            public partial class Pricing
            {
                [Step] public int {|FLOW006:Price|}(int discount) => 100 - discount;
                [Step] public int Discount(int price) => price / 10;
            }
            """,
            new[] { "Price", "Discount", "the steps wait for each other in a cycle: Price → Discount → Price" });

    [Fact]
    public Task Dataflow_cycle_through_After_and_a_group_is_flagged_at_the_first_member_and_names_the_group() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow(Scheduling = Scheduling.Dataflow)]
            public partial class Pricing
            {
                [Step] public int Load() => 1;
                [Step, Parallel("checks"), After(nameof(Report))] public int {|FLOW006:A|}(int load) => load;
                [Step, Parallel("checks")] public int B(int load) => load;
                [Step] public int Report(int a, int b) => a + b;
                [Step, After(nameof(Load))] public void Done() { }
            }
            """,
            new[] { "A", "Report", "the steps wait for each other in a cycle: checks → Report → checks" });

    [Fact]
    public Task Dataflow_consumer_declared_before_its_producer_is_not_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow(Scheduling = Scheduling.Dataflow)]
            public partial class Pricing
            {
                [Step] public int Total(int price, int tax) => price + tax;
                [Step] public int Price(int listPrice) => listPrice;
                [Step, After(nameof(Price))] public int Tax() => 5;
            }
            """);

    [Fact]
    public Task Consuming_an_earlier_step_is_not_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step] public int Tax() => 1;
                [Step, After(nameof(Tax))] public int Total(int tax, int count) => tax * count;
            }
            """);

    [Fact]
    public Task Generated_dataflow_code_is_not_flagged() =>
        AnalyzerVerifier.VerifyGeneratedCodeIsNotFlaggedAsync(
            """
            using Flows;
            using System.Threading.Tasks;

            namespace Shop;

            [Workflow(Scheduling = Scheduling.Dataflow)]
            public partial class Pricing
            {
                [Step] public int Total(int price, int tax) => price + tax;
                [Step] public Task<int> PriceAsync(int listPrice) => Task.FromResult(listPrice);
                [Step, After(nameof(PriceAsync))] public int Tax() => 5;
            }
            """);

    [Fact]
    public Task Generated_code_is_not_flagged() =>
        AnalyzerVerifier.VerifyGeneratedCodeIsNotFlaggedAsync(
            """
            using Flows;
            using System.Threading.Tasks;

            namespace Shop;

            [Workflow]
            public partial class Checkout
            {
                [Step] public Task<int> LoadAsync(int orderId) => Task.FromResult(orderId);
                [Step] public int Tax(int load) => load / 10;
                [Step] public int Total(int load, int tax) => load + tax;
            }
            """);
}
