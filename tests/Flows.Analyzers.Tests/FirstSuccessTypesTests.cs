using Xunit;

namespace Flows.Analyzers.Tests;

/// <summary>FLOW012: the members of a FirstSuccess group return different types.</summary>
public class FirstSuccessTypesTests
{
    [Fact]
    public Task Member_returning_another_type_is_flagged_at_its_name_with_the_first_member_as_additional_location() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Pricing
            {
                [Step, Parallel("quote", Failure = FailurePolicy.FirstSuccess)]
                public Task<decimal> {|#0:FromCacheAsync|}() => Task.FromResult(1m);

                [Step, Parallel("quote")]
                public ValueTask<double> {|FLOW012,#0:FromServiceAsync|}() => new(1.0);

                [Step] public decimal Total(decimal quote) => quote;
            }
            """,
            new[] { "quote", "FromServiceAsync", "double", "FromCacheAsync", "decimal" });

    [Fact]
    public Task Each_member_that_differs_from_the_first_is_flagged_even_when_it_converts() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Collections.Generic;

            [Workflow]
            public partial class Pricing
            {
                [Step, Parallel("prices")] public IReadOnlyList<int> {|#0:Primary|}() => new[] { 1 };
                [Step, Parallel("prices", Failure = FailurePolicy.FirstSuccess)] public List<int> {|FLOW012,#0:Mirror|}() => new();
                [Step, Parallel("prices")] public IReadOnlyList<int> Backup() => new[] { 2 };
                [Step, Parallel("prices")] public int[] {|FLOW012,#0:Archive|}() => new[] { 3 };
            }
            """,
            new[] { "prices", "Mirror", "System.Collections.Generic.List<int>", "Primary", "System.Collections.Generic.IReadOnlyList<int>" },
            new[] { "prices", "Archive", "int[]", "Primary", "System.Collections.Generic.IReadOnlyList<int>" });

    [Fact]
    public Task Member_without_a_value_is_flagged_with_the_first_value_returning_member_in_the_message() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Pricing
            {
                [Step] public int[] Items() => new[] { 1 };

                [Step, Parallel("quote", Failure = FailurePolicy.FirstSuccess)]
                public Task {|FLOW012,#0:WarmAsync|}() => Task.CompletedTask;

                [Step, Parallel("quote")]
                public decimal {|#0:FromCache|}() => 1m;

                [ParallelForEach(nameof(Items)), Parallel("quote")]
                public decimal {|FLOW012,#0:PerItem|}(int item) => item;
            }
            """,
            new[] { "quote", "WarmAsync", "no value", "FromCache", "decimal" },
            new[] { "quote", "PerItem", "a list of item results", "FromCache", "decimal" });

    [Fact]
    public Task Group_where_no_member_returns_a_value_is_one_FLOW009_and_no_FLOW012() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Pricing
            {
                [Step, Parallel("quote", {|FLOW009:Failure = FailurePolicy.FirstSuccess|})] public void Warm() { }
                [Step, Parallel("quote")] public void Notify() { }
            }
            """);

    [Fact]
    public Task Members_returning_one_type_in_different_wrappers_are_not_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System.Threading;
            using System.Threading.Tasks;

            [Workflow]
            public partial class Pricing
            {
                [Step, Parallel("quote", Failure = FailurePolicy.FirstSuccess)] public decimal FromCache() => 1m;
                [Step, Parallel("quote")] public Task<decimal> FromServiceAsync(CancellationToken ct) => Task.FromResult(2m);
                [Step, Parallel("quote")] public ValueTask<decimal> FromBackupAsync() => new(3m);
                [Step] public decimal Total(decimal quote) => quote;
            }
            """);

    [Fact]
    public Task Members_of_a_group_that_is_not_FirstSuccess_may_return_different_types() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Pricing
            {
                [Step, Parallel("checks", Failure = FailurePolicy.WaitAll)] public decimal Price() => 1m;
                [Step, Parallel("checks")] public string Currency() => "EUR";
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
            public partial class Pricing
            {
                [Step, Parallel("quote", Failure = FailurePolicy.FirstSuccess)] public Task<decimal> FromCacheAsync(int productId) => Task.FromResult(1m);
                [Step, Parallel("quote")] public decimal FromService(int productId) => 2m;
                [Step, Parallel("checks")] public string Currency() => "EUR";
                [Step, Parallel("checks")] public bool InStock(decimal quote) => quote > 0;
                [Step] public string Label(decimal quote, string currency, bool inStock) => $"{quote} {currency}";
            }
            """);
}
