using Xunit;

namespace Flows.Analyzers.Tests;

/// <summary>FLOW013: steps declared in more than one partial declaration.</summary>
public class StepsInSeveralDeclarationsTests
{
    [Fact]
    public Task Step_in_a_second_file_is_flagged_at_its_name_with_the_first_declaration_as_additional_location() =>
        AnalyzerVerifier.VerifyAsync(
            new[]
            {
                """
                using Flows;

                namespace Shop;

                {|#0:[Workflow]
                public partial class Checkout
                {
                    [Step] public int Load(int orderId) => orderId;
                }|}
                """,
                """
                using Flows;

                namespace Shop;

                public partial class Checkout
                {
                    [Step] public int {|FLOW013,#0:Total|}(int load) => load * 2;

                    [Step] public int Tax(int total) => total / 10;
                }
                """,
            },
            new[] { "Checkout", "Total" });

    [Fact]
    public Task Second_declaration_in_the_same_file_is_flagged_once() =>
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
                [Step] public int {|FLOW013:Total|}(int load) => load;
            }

            public partial class Checkout
            {
                [Step] public int Tax(int total) => total;
            }
            """,
            new[] { "Checkout", "Total" });

    [Fact]
    public Task Steps_in_one_declaration_and_other_members_elsewhere_are_not_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            new[]
            {
                """
                using Flows;

                [Workflow]
                public partial class Checkout
                {
                    private readonly int _rate = 2;
                    public int Helper() => _rate;
                }
                """,
                """
                using Flows;

                public partial class Checkout
                {
                    [Step] public int Load() => Helper();
                    [Step] public int Total(int load) => load * _rate;
                }
                """,
            });

    // The generated partial declaration adds members to the class, but no steps.
    [Fact]
    public Task Generated_code_is_not_flagged() =>
        AnalyzerVerifier.VerifyGeneratedCodeIsNotFlaggedAsync(
            """
            using Flows;

            namespace Shop;

            [Workflow]
            public partial class Checkout
            {
                [Step] public int Load(int orderId) => orderId;
                [Step] public int Total(int load) => load * 2;
                partial void OnStepStarting(in StepContext context) { }
            }
            """,
            """
            namespace Shop;

            public partial class Checkout
            {
                public int Rate => 2;
            }
            """);
}
