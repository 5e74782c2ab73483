using Xunit;

namespace Flows.Analyzers.Tests;

/// <summary>FLOW009: an invalid option value, or options that conflict within a group.</summary>
public class InvalidOptionTests
{
    [Fact]
    public Task Degree_of_parallelism_0_or_below_minus_1_is_flagged_at_the_argument() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Import
            {
                [Step] public int[] Rows() => new[] { 1, 2 };
                [ParallelForEach(nameof(Rows), {|FLOW009:MaxDegreeOfParallelism = 0|})] public int Parse(int row) => row;
                [ParallelForEach(nameof(Rows), {|FLOW009:MaxDegreeOfParallelism = -2|})] public int Check(int row) => row;
            }
            """,
            new[] { "Parse", "MaxDegreeOfParallelism", "0 is not a degree: use a positive number, or -1 for no limit" },
            new[] { "Check", "MaxDegreeOfParallelism", "-2 is not a degree: use a positive number, or -1 for no limit" });

    [Fact]
    public Task MinSuccessRate_without_ContinueOnError_is_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Import
            {
                [Step] public int[] Rows() => new[] { 1, 2 };
                [ParallelForEach(nameof(Rows), {|FLOW009:MinSuccessRate = 0.9|})] public int Parse(int row) => row;
            }
            """,
            new[] { "Parse", "MinSuccessRate", "it applies only with ContinueOnError = true" });

    [Fact]
    public Task Step_ContinueOnError_on_a_foreach_step_is_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Import
            {
                [Step] public int[] Rows() => new[] { 1, 2 };
                [Step({|FLOW009:ContinueOnError = true|}), ParallelForEach(nameof(Rows))] public int Parse(int row) => row;
            }
            """,
            new[] { "Parse", "ContinueOnError", "[Step(ContinueOnError = true)] does not apply to a foreach step; use [ParallelForEach(..., ContinueOnError = true)], whose failed items become failed outcomes" });

    [Fact]
    public Task Conflicting_failure_policies_in_one_group_are_flagged_with_the_first_member_as_additional_location() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step, Parallel("checks", Failure = FailurePolicy.WaitAll)] public int {|#0:Inventory|}() => 1;
                [Step, Parallel("checks")] public int Fraud() => 2;
                [Step, Parallel("checks", {|FLOW009,#0:Failure = FailurePolicy.FailFast|})] public int Payment() => 3;
            }
            """,
            new[] { "Payment", "Failure", "it is FailFast here but step 'Inventory' of group 'checks' sets it to another value" });

    [Fact]
    public Task MinSuccessCount_without_ContinueOnError_is_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step, Parallel("checks", {|FLOW009:MinSuccessCount = 1|})] public int Inventory() => 1;
                [Step, Parallel("checks")] public int Fraud() => 2;
            }
            """,
            new[] { "Inventory", "MinSuccessCount", "it applies only with Failure = FailurePolicy.ContinueOnError" });

    [Fact]
    public Task Retry_with_no_attempt_is_flagged_at_the_argument() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step, Retry({|FLOW009:0|})] public int Load() => 1;
                [Step, Retry(3, {|FLOW009:DelayMilliseconds = -1|})] public int Save(int load) => load;
            }
            """,
            new[] { "Load", "Retry", "0 attempts: a step makes at least 1" },
            new[] { "Save", "DelayMilliseconds", "it cannot be negative" });

    [Fact]
    public Task Timeout_of_zero_is_flagged_at_the_argument() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow]
            public partial class Checkout
            {
                [Step, Timeout({|FLOW009:0|})] public int Load() => 1;
            }
            """,
            new[] { "Load", "Timeout", "the timeout must be more than 0 milliseconds" });

    [Fact]
    public Task After_naming_no_step_is_flagged_at_the_argument() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow(Scheduling = Scheduling.Dataflow)]
            public partial class Checkout
            {
                [Step] public int Load() => 1;
                public void Helper() { }
                [Step, After({|FLOW009:"Lode"|}), After({|FLOW009:nameof(Helper)|})] public void Notify() { }
            }
            """,
            new[] { "Notify", "After", "'Lode' is not a step of workflow 'Checkout'" },
            new[] { "Notify", "After", "'Helper' is not a step of workflow 'Checkout'" });

    [Fact]
    public Task Group_policy_or_timeout_under_Dataflow_scheduling_is_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow(Scheduling = Scheduling.Dataflow)]
            public partial class Checkout
            {
                [Step, Parallel("checks", {|FLOW009:Failure = FailurePolicy.WaitAll|})] public int Inventory() => 1;
                [Step, Parallel("checks", {|FLOW009:TimeoutMilliseconds = 100|})] public int Fraud() => 2;
            }
            """,
            new[] { "Inventory", "Failure", "under Scheduling.Dataflow a group is fail-fast; WaitAll needs Scheduling.Sequential" },
            new[] { "Fraud", "TimeoutMilliseconds", "under Scheduling.Dataflow a group has no timeout of its own; use [Timeout] on its steps or the workflow's TimeoutMilliseconds" });

    [Fact]
    public Task Negative_workflow_timeout_is_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;

            [Workflow({|FLOW009:TimeoutMilliseconds = -5|})]
            public partial class Checkout
            {
                [Step] public int Load() => 1;
            }
            """,
            new[] { "Checkout", "TimeoutMilliseconds", "it cannot be negative (0 means no limit)" });

    [Fact]
    public Task Valid_options_are_not_flagged() =>
        AnalyzerVerifier.VerifyAsync(
            """
            using Flows;
            using System;

            [Workflow(TimeoutMilliseconds = 0)]
            public partial class Import
            {
                [Step] public int[] Rows() => new[] { 1, 2 };
                [ParallelForEach(nameof(Rows), MaxDegreeOfParallelism = -1)] public int Parse(int row) => row;
                [ParallelForEach(nameof(Rows), MaxDegreeOfParallelism = 1, ContinueOnError = true, MinSuccessRate = 0.5, BatchSize = 10, DelayBetweenBatchesMilliseconds = 5, MaxItemsPerSecond = 0)]
                public int Check(int row) => row;
                [Step, Parallel("checks", Failure = FailurePolicy.ContinueOnError, MinSuccessCount = 2), Retry(1, RetryOn = new[] { typeof(TimeoutException) })] public int A() => 1;
                [Step, Parallel("checks", Failure = FailurePolicy.ContinueOnError), Timeout(1)] public int B() => 2;
                [Step, After(nameof(Rows))] public void Done() { }
            }
            """);

    [Fact]
    public Task Generated_code_is_not_flagged() =>
        AnalyzerVerifier.VerifyGeneratedCodeIsNotFlaggedAsync(
            """
            using Flows;
            using System.Collections.Generic;
            using System.Threading.Tasks;

            namespace Shop;

            [Workflow]
            public partial class Import
            {
                [Step] public IReadOnlyList<int> Rows(int count) => new int[count];
                [ParallelForEach(nameof(Rows), MaxDegreeOfParallelism = -1)] public Task<int> Parse(int row) => Task.FromResult(row);
                [ParallelForEach(nameof(Rows), MaxDegreeOfParallelism = 2, BatchSize = 10)] public int Check(int row) => row;
                [Step, Parallel("checks", Failure = FailurePolicy.WaitAll), Retry(3, DelayMilliseconds = 1)] public int A(IReadOnlyList<int> parse) => parse.Count;
                [Step, Parallel("checks", Failure = FailurePolicy.WaitAll), Timeout(1000)] public int B(IReadOnlyList<int> check) => check.Count;
            }
            """);
}
