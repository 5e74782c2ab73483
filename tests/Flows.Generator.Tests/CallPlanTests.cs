using Flows.Generator.Emitting;
using Flows.Generator.Model;
using Flows.Generator.Parsing;
using Flows.Generator.Tests.Infrastructure;

namespace Flows.Generator.Tests;

/// <summary>
/// The call plan on its own: what the generated code will do for each step, decided from the parsed model without
/// writing text. The emitter's output for these shapes is pinned by the golden files; these tests pin the decisions.
/// </summary>
public sealed class CallPlanTests
{
    private const string Usings = "using System.Threading;\nusing System.Threading.Tasks;\nusing Flows;\nnamespace Plans;\n";

    [Fact]
    public void A_plain_sequential_step_is_called_directly()
    {
        var plan = PlanOf("[Workflow] public partial class W { [Step] public int A(int x) => x; [Step] public Task<int> B(int a) => Task.FromResult(a); }");

        Assert.All(plan.Values, step => Assert.False(step.UsesWrapper));
        Assert.All(plan.Values, step => Assert.False(step.Hops));
        Assert.False(plan["A"].WrapperIsAsync);
        Assert.True(plan["B"].WrapperIsAsync);
        Assert.Equal("__RunA", plan["A"].WrapperName);
        Assert.Equal("__ObserveBAsync", plan["B"].ObservedWrapperName);
    }

    [Fact]
    public void A_synchronous_group_member_hops_to_the_thread_pool_and_an_async_one_does_not()
    {
        var plan = PlanOf("[Workflow] public partial class W { [Step, Parallel(\"g\")] public int A(int x) => x; [Step, Parallel(\"g\")] public Task<int> B(int x, CancellationToken token) => Task.FromResult(x); }");

        Assert.True(plan["A"].InGroup);
        Assert.True(plan["A"].Hops);
        Assert.True(plan["A"].UsesWrapper);
        Assert.True(plan["A"].WrapperTakesToken);
        Assert.Equal(ReturnKind.ValueTaskOfT, plan["A"].WrapperKind);
        Assert.Equal("__RunAAsync", plan["A"].WrapperName);

        Assert.False(plan["B"].Hops);
        Assert.False(plan["B"].UsesWrapper);
        Assert.True(plan["B"].WrapperTakesToken);
    }

    [Fact]
    public void A_step_that_continues_on_error_catches_its_failure_into_an_outcome_unless_its_group_does()
    {
        var plan = PlanOf(
            "[Workflow] public partial class W { [Step(ContinueOnError = true)] public int A(int x) => x; "
            + "[Step, Parallel(\"g\", Failure = FailurePolicy.ContinueOnError)] public Task<int> B(int x) => Task.FromResult(x); "
            + "[Step, Parallel(\"g\")] public Task<int> C(int x) => Task.FromResult(x); "
            + "[Step] public int D(Outcome<int> a, Outcome<int> b, Outcome<int> c) => 1; }");

        Assert.True(plan["A"].CatchesFailure);
        Assert.True(plan["A"].UsesWrapper);
        Assert.True(plan["A"].WrapperTakesToken);
        Assert.Equal("global::Flows.Outcome<int>", plan["A"].WrapperValueType);
        Assert.False(plan["B"].CatchesFailure);
        Assert.False(plan["B"].UsesWrapper);
        Assert.Equal("int", plan["B"].WrapperValueType);
    }

    [Fact]
    public void Retry_and_timeout_run_the_step_under_resilience_and_a_foreach_applies_them_per_item()
    {
        var plan = PlanOf(
            "[Workflow] public partial class W { [Step, Retry(3)] public int A(int x) => x; "
            + "[Step, Parallel(\"g\"), Timeout(100)] public int B(int a) => a; [Step, Parallel(\"g\")] public Task<int> C(int a) => Task.FromResult(a); "
            + "[Step] public int[] Items(int a) => new[] { a }; [ParallelForEach(nameof(Items)), Retry(2)] public int Each(int item) => item; }");

        Assert.True(plan["A"].HasResilience);
        Assert.False(plan["A"].UsesWrapper);
        Assert.True(plan["B"].HasResilience);
        Assert.False(plan["B"].Hops);
        Assert.True(plan["B"].RunsPolicyOnThreadPool);
        Assert.False(plan["A"].RunsPolicyOnThreadPool);
        Assert.False(plan["Each"].HasResilience);
        Assert.False(plan["Each"].UsesWrapper);
    }

    [Fact]
    public void Hooks_put_every_step_but_a_foreach_in_a_wrapper_that_makes_a_context()
    {
        var plan = PlanOf(
            "[Workflow] public partial class W { [Step] public int A(int x) => x; [Step] public int[] Items(int a) => new[] { a }; "
            + "[ParallelForEach(nameof(Items))] public int Each(int item) => item; "
            + "partial void OnStepStarting(in StepContext context) { } }");

        Assert.True(plan["A"].UsesWrapper);
        Assert.True(plan["A"].CreatesContext);
        Assert.False(plan["A"].WrapperTakesToken);
        Assert.False(plan["Each"].UsesWrapper);
    }

    [Fact]
    public void A_step_context_parameter_makes_a_context_without_hooks()
    {
        var plan = PlanOf("[Workflow] public partial class W { [Step] public int A(int x, StepContext context) => x; [Step] public int B(int a) => a; }");

        Assert.True(plan["A"].CreatesContext);
        Assert.False(plan["B"].CreatesContext);
    }

    private static Dictionary<string, StepCallPlan> PlanOf(string source)
    {
        var compilation = TestCompilation.Create(CompileSettings.Default, Usings + source);
        var type = compilation.GetTypeByMetadataName("Plans.W")!;
        var result = WorkflowParser.Parse(type, compilation, System.Threading.CancellationToken.None);
        Assert.True(result.Model is not null, "Not generated: " + string.Join("; ", result.Problems));
        var plans = CallPlan.For(result.Model!);
        Assert.Equal(result.Model!.Steps.Count, plans.Length);
        return result.Model.Steps.Select((step, i) => (step.MethodName, Plan: plans[i])).ToDictionary(pair => pair.MethodName, pair => pair.Plan);
    }
}
