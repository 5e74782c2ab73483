using Xunit;

namespace Flows.Analyzers.Tests;

/// <summary>FLOW001: steps in one parallel group depend on each other.</summary>
public class DependentParallelStepsTests
{
    [Fact]
    public Task Consumer_of_a_producer_in_its_own_group_is_flagged_at_the_parameter_with_the_producer_as_additional_location() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Checkout
            {
                [Step] public int Load(int orderId) => orderId;

                [Step, Parallel("checks")]
                public Task<bool> {|#0:CheckInventory|}(int load, CancellationToken ct) => Task.FromResult(load > 0);

                [Step, Parallel("checks")]
                public bool ValidatePayment(int load, bool {|FLOW001,#0:checkInventory|}) => checkInventory;
            }
            """,
            new[] { "ValidatePayment", "CheckInventory", "checks" });

    [Fact]
    public Task Explicit_FromStep_binding_to_a_sibling_is_flagged_at_the_parameter() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step, Parallel("g")] public int {|#0:Load|}() => 1;

                [Step, Parallel("g")] public int Total([FromStep(nameof(Load))] int {|FLOW001,#0:value|}) => value;
            }
            """,
            new[] { "Total", "Load", "g" });

    [Fact]
    public Task Sibling_declared_later_in_the_group_is_flagged_too() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step, Parallel("g")] public int Total(int {|FLOW001,#0:tax|}) => tax;

                [Step, Parallel("g")] public int {|#0:Tax|}() => 1;
            }
            """,
            new[] { "Total", "Tax", "g" });

    [Fact]
    public Task Foreach_reading_a_sibling_of_its_group_is_flagged_at_the_source() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step, Parallel("g")] public int[] {|#0:Lines|}() => new[] { 1, 2 };

                [ParallelForEach({|FLOW001,#0:nameof(Lines)|}), Parallel("g")]
                public int Reserve(int line) => line;
            }
            """,
            new[] { "Reserve", "Lines", "g" });

    [Fact]
    public Task After_naming_a_sibling_is_flagged_at_the_argument() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step, Parallel("g")] public void {|#0:Save|}() { }
                [Step, Parallel("g"), After({|FLOW001,#0:nameof(Save)|})] public void Notify() { }
            }
            """,
            new[] { "Notify", "Save", "g" });

    [Fact]
    public Task Member_of_a_FirstSuccess_group_taking_the_group_value_is_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Pricing
            {
                [Step, Parallel("quote", Failure = FailurePolicy.FirstSuccess)] public decimal {|#0:FromCache|}() => 1m;
                [Step, Parallel("quote")] public decimal FromService(decimal {|FLOW001,#0:quote|}) => quote;
            }
            """,
            new[] { "FromService", "quote", "quote" });

    [Fact]
    public Task Each_consumed_sibling_is_reported() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step, Parallel("g")] public int {|#0:A|}() => 1;
                [Step, Parallel("g")] public int {|#1:B|}() => 2;
                [Step, Parallel("g")] public int Sum(int {|FLOW001,#0:a|}, int {|FLOW001,#1:b|}) => a + b;
            }
            """,
            new[] { "Sum", "A", "g" },
            new[] { "Sum", "B", "g" });

    [Fact]
    public Task Consumer_in_the_next_stage_is_not_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Checkout
            {
                [Step, Parallel("checks")]
                public Task<bool> CheckInventory(int orderId, CancellationToken ct) => Task.FromResult(orderId > 0);

                [Step, Parallel("checks")]
                public bool ValidatePayment(int orderId) => orderId > 1;

                [Step, Parallel("next")]
                public bool Confirm(bool checkInventory, bool validatePayment) => checkInventory && validatePayment;

                [Step, Parallel("next")]
                public int Audit(int orderId, bool checkInventory) => orderId;
            }
            """);

    [Fact]
    public Task Same_input_used_by_every_member_is_not_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step] public int Load(int orderId) => orderId;
                [Step, Parallel("g")] public int A(int load, int orderId) => load + orderId;
                [Step, Parallel("g")] public int B(int load, int orderId) => load - orderId;
            }
            """);

    [Fact]
    public Task Generated_code_is_not_flagged() =>
        AnalyzerVerifier.VerifyGeneratedCodeIsNotFlaggedAsync(
            """
            using Flows;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;

            namespace Shop;

            [Workflow]
            public partial class Checkout
            {
                [Step] public Task<int> LoadOrder(int orderId, CancellationToken ct) => Task.FromResult(orderId);
                [Step, Parallel("checks")] public Task<bool> CheckInventory(int loadOrder, CancellationToken ct) => Task.FromResult(true);
                [Step, Parallel("checks")] public ValueTask<string> ValidatePayment(int loadOrder) => new("ok");
                [Step] public IReadOnlyList<int> Lines(int loadOrder) => new[] { loadOrder };
                [ParallelForEach(nameof(Lines), MaxDegreeOfParallelism = 4)] public Task<int> Reserve(int line, CancellationToken ct) => Task.FromResult(line);
                [Step] public string Complete(bool checkInventory, string validatePayment, IReadOnlyList<int> reserve) => validatePayment;
            }
            """);
}
