using Xunit;

namespace Flows.Analyzers.Tests;

/// <summary>FLOW007: a step parameter cannot be bound.</summary>
public class UnboundParameterTests
{
    [Fact]
    public Task Output_of_another_type_is_flagged_at_the_parameter_with_the_producer_as_additional_location() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading.Tasks;

            public sealed record Order(int Id);

            [Workflow]
            public partial class Checkout
            {
                [Step] public Task<Order> {|#0:LoadOrderAsync|}(int orderId) => Task.FromResult(new Order(orderId));

                [Step] public int Total(int {|FLOW007,#0:loadOrder|}) => loadOrder;
            }
            """,
            new[] { "Total", "loadOrder", "step 'LoadOrderAsync' produces 'Order', which is not a 'int'" });

    [Fact]
    public Task Value_that_may_be_null_into_a_non_nullable_parameter_is_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step] public string? {|#0:Name|}() => null;

                [Step] public int Length(string {|FLOW007,#0:name|}) => name.Length;
            }
            """,
            new[] { "Length", "name", "step 'Name' produces 'string?', which is not a 'string'" });

    [Fact]
    public Task FromStep_naming_no_step_is_flagged_at_the_attribute_argument() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step] public int Load() => 1;

                [Step] public int Total([FromStep({|FLOW007:"Lode"|})] int value) => value;
            }
            """,
            new[] { "Total", "value", "[FromStep] names 'Lode', which is not a step of workflow 'Checkout'" });

    [Fact]
    public Task FromStep_with_a_mismatching_type_is_flagged_at_the_parameter() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step] public long {|#0:Load|}() => 1;

                [Step] public int Total([FromStep(nameof(Load))] int {|FLOW007,#0:value|}) => value;
            }
            """,
            new[] { "Total", "value", "step 'Load' produces 'long', which is not a 'int'" });

    [Fact]
    public Task Inputs_of_one_name_with_different_types_are_flagged_at_the_second_with_the_first_as_additional_location() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step] public int Load(int {|#0:orderId|}) => orderId;

                [Step] public string Describe(int load, string {|FLOW007,#0:OrderId|}) => OrderId;
            }
            """,
            new[] { "Describe", "OrderId", "input 'orderId' is a 'int' in step 'Load' but a 'string' here" });

    [Fact]
    public Task Consuming_a_step_that_returns_void_is_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Checkout
            {
                [Step] public void {|#0:Save|}() { }
                [Step] public Task {|#1:NotifyAsync|}() => Task.CompletedTask;

                [Step] public int Total(int {|FLOW007,#0:save|}, object {|FLOW007,#1:notify|}) => save;
            }
            """,
            new[] { "Total", "save", "step 'Save' produces no value" },
            new[] { "Total", "notify", "step 'NotifyAsync' produces no value" });

    [Fact]
    public Task Implicit_reference_conversions_to_a_base_type_or_interface_are_not_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Collections.Generic;
            using System.Threading.Tasks;

            public class Animal { }
            public sealed class Dog : Animal { }

            [Workflow]
            public partial class Kennel
            {
                [Step] public Task<Dog> AdoptAsync() => Task.FromResult(new Dog());
                [Step] public List<string> Names() => new() { "Rex" };
                [Step] public string? Nickname() => null;

                [Step] public int Count(Animal adopt, IReadOnlyList<string> names, IEnumerable<object> NAMES2, string? nickname) => names.Count;
                [Step] public int Again(object adopt, [FromStep(nameof(Names))] IEnumerable<object> all) => 0;
            }
            """);

    [Fact]
    public Task Inputs_of_one_name_and_one_type_are_not_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step] public int Load(int orderId) => orderId;
                [Step] public int Total(int load, int OrderID) => load + OrderID;
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

            public class Animal { }
            public sealed class Dog : Animal { }

            [Workflow]
            public partial class Kennel
            {
                [Step] public Task<Dog> AdoptAsync(string name, CancellationToken ct) => Task.FromResult(new Dog());
                [Step] public List<string> Names(string name) => new() { name };
                [Step] public int Count(Animal adopt, IReadOnlyList<string> names, [FromStep(nameof(AdoptAsync))] object pet, StepContext context) => names.Count;
            }
            """);
}
