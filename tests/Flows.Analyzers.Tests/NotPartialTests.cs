using Xunit;

namespace Flows.Analyzers.Tests;

/// <summary>FLOW005: a workflow type or one of its containing types is not partial.</summary>
public class NotPartialTests
{
    [Fact]
    public Task Workflow_class_that_is_not_partial_is_flagged_at_its_name() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public class {|FLOW005:Checkout|}
            {
                [Step] public Task<int> Load() => Task.FromResult(1);
            }
            """,
            new[] { "Checkout", "Checkout" });

    [Fact]
    public Task Containing_type_that_is_not_partial_is_flagged_and_names_the_workflow() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            namespace Shop;

            public class {|FLOW005:Outer|}
            {
                [Workflow]
                public partial class Checkout
                {
                    [Step] public int Load() => 1;
                }
            }
            """,
            new[] { "Outer", "Checkout" });

    [Fact]
    public Task Every_type_that_is_not_partial_is_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            public class {|FLOW005:Outer|}
            {
                public partial class Middle
                {
                    [Workflow]
                    public class {|FLOW005:Checkout|}
                    {
                        [Step] public int Load() => 1;
                    }
                }
            }
            """,
            new[] { "Outer", "Checkout" },
            new[] { "Checkout", "Checkout" });

    [Fact]
    public Task Partial_workflow_in_partial_types_is_not_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading.Tasks;

            public partial class Outer
            {
                [Workflow]
                public sealed partial record Checkout
                {
                    [Step] public Task<int> Load() => Task.FromResult(1);
                    [Step] public int Total(int load) => load * 2;
                }
            }
            """);

    [Fact]
    public Task Partial_in_another_declaration_is_enough() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step] public int Load() => 1;
            }

            public partial class Checkout
            {
            }
            """);

    [Fact]
    public Task Class_without_the_workflow_attribute_is_not_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            public class Helper
            {
                [Step] public int Load() => 1;
            }
            """);

    [Fact]
    public async Task Generated_code_is_not_flagged()
    {
        var diagnostics = await AnalyzerVerifier.AnalyzeAsync(
            """
            using Flows;
            using System.Threading;
            using System.Threading.Tasks;

            namespace Shop
            {
                public partial class Outer
                {
                    [Workflow]
                    public partial class Checkout
                    {
                        [Step, Parallel("g")] public Task<int> A(CancellationToken ct) => Task.FromResult(1);
                        [Step, Parallel("g")] public int B() => 2;
                        [Step] public int Sum(int a, int b) => a + b;
                    }
                }
            }
            """);

        Assert.Empty(diagnostics);
    }
}
