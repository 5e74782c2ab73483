using System.Reflection;

namespace Flows.IntegrationTests;

public sealed class BindingTests
{
    [Fact]
    public async Task Inputs_become_RunAsync_parameters_in_order_of_first_appearance()
    {
        var workflow = new InputOrder();

        await workflow.RunAsync(1, "x", 2.5).OrTimeout();

        Assert.Equal("StepOne(b=1, a=x); StepTwo(a=x, c=2.5)", workflow.Calls);
    }

    [Fact]
    public async Task Inputs_can_be_passed_by_name()
    {
        var workflow = new InputOrder();

        await workflow.RunAsync(c: 0.5, a: "named", b: 7).OrTimeout();

        Assert.Equal("StepOne(b=7, a=named); StepTwo(a=named, c=0.5)", workflow.Calls);
    }

    [Fact]
    public void RunAsync_declares_the_inputs_then_the_token_and_overloads_with_a_FlowControl_and_a_timeline()
    {
        var overloads = typeof(InputOrder).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(method => method.Name == "RunAsync")
            .Select(method => string.Join(", ", method.GetParameters().Select(p => $"{p.ParameterType.Name} {p.Name}{(p.IsOptional ? " = default" : string.Empty)}")))
            .OrderBy(text => text.Length)
            .ThenBy(text => text, StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(
            new[]
            {
                "Int32 b, String a, Double c, CancellationToken cancellationToken = default",
                "Int32 b, String a, Double c, FlowControl control, CancellationToken cancellationToken = default",
                "Int32 b, String a, Double c, ExecutionTimeline timeline, CancellationToken cancellationToken = default",
                "Int32 b, String a, Double c, FlowControl control, ExecutionTimeline timeline, CancellationToken cancellationToken = default",
            },
            overloads);
    }

    [Fact]
    public async Task An_input_used_by_two_steps_is_one_parameter()
    {
        var workflow = new SharedInput();

        var result = await workflow.RunAsync("shared", 3).OrTimeout();

        Assert.Equal("shared/shared/3", result);
        var run = typeof(SharedInput).GetMethods().Single(method => method.Name == "RunAsync" && method.GetParameters().Length == 3);
        Assert.Equal(new[] { "name", "count", "cancellationToken" }, run.GetParameters().Select(p => p.Name));
    }

    [Fact]
    public async Task FromStep_binds_a_parameter_of_any_name_to_that_steps_output()
    {
        var result = await new ExplicitBinding().RunAsync().OrTimeout();

        Assert.Equal("answer is 42", result);
    }

    [Fact]
    public async Task FromStep_wins_over_a_parameter_name_that_matches_another_step()
    {
        var result = await new FromStepOverridesName().RunAsync().OrTimeout();

        Assert.Equal(("second", "first"), result);
    }

    [Fact]
    public async Task A_parameter_named_like_a_step_output_ignoring_case_gets_that_output()
    {
        var result = await new NameMatchIgnoringCase().RunAsync().OrTimeout();

        Assert.Equal(10 + 20, result);
    }

    [Fact]
    public async Task The_Async_suffix_is_not_part_of_a_steps_output_name()
    {
        var result = await new AsyncSuffix().RunAsync().OrTimeout();

        Assert.Equal("loaded 5, parsed 6", result);
        var run = typeof(AsyncSuffix).GetMethods().Single(method => method.Name == "RunAsync" && method.GetParameters().Length == 1);
        Assert.Equal(typeof(CancellationToken), run.GetParameters()[0].ParameterType);
    }

    [Fact]
    public async Task A_reference_output_binds_to_a_parameter_of_a_base_type()
    {
        var result = await new ImplicitReferenceConversion().RunAsync().OrTimeout();

        Assert.Equal(3, result);
    }

    [Fact]
    public async Task Static_and_instance_steps_mix_in_one_workflow()
    {
        var result = await new StaticAndInstanceSteps(factor: 3).RunAsync(5).OrTimeout();

        Assert.Equal(((5 + 1) * 3) + 100, result);
    }

    [Fact]
    public async Task A_static_workflow_class_gets_a_static_RunAsync()
    {
        var result = await StaticWorkflow.RunAsync("abc").OrTimeout();

        Assert.Equal("ABC!", result);
        Assert.True(typeof(StaticWorkflow).GetMethods().Where(method => method.Name == "RunAsync").All(method => method.IsStatic));
    }

    [Fact]
    public async Task Every_return_type_runs_and_passes_its_value_on_in_sequence()
    {
        var log = new EventLog();

        var result = await new EveryReturnType(log).RunAsync(1).OrTimeout();

        Assert.Equal(1 + 1 + 1 + 1 + 1, result);
        Assert.Equal(
            new[] { "void", "T", "Task", "Task<T>", "ValueTask", "ValueTask<T>", "async Task", "async Task<T>", "async ValueTask", "async ValueTask<T>" },
            log.Events);
    }

    [Fact]
    public async Task Every_return_type_runs_in_a_parallel_group()
    {
        var log = new EventLog();

        var result = await new EveryReturnTypeInAGroup(log).RunAsync(10).OrTimeout();

        Assert.Equal((11, 12, 13, 14, 15), result);
        Assert.Equal(
            new[] { "Task", "ValueTask", "async Task", "async ValueTask", "void" },
            log.Events.OrderBy(e => e, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_step_can_take_its_StepContext()
    {
        var workflow = new ContextReader();

        await workflow.RunAsync().OrTimeout();

        AssertContext(workflow.SingleContext, nameof(ContextReader), nameof(ContextReader.Single));
        AssertContext(workflow.MemberContext, nameof(ContextReader), nameof(ContextReader.Member));
        AssertContext(workflow.SynchronousMemberContext, nameof(ContextReader), nameof(ContextReader.SynchronousMember));
    }

    [Fact]
    public async Task Inputs_with_keyword_names_and_names_the_generated_code_also_wants_are_bound()
    {
        var workflow = new AwkwardNames();

        var result = await workflow.RunAsync("e", "c", 2).OrTimeout();
        var withControl = await workflow.RunAsync("e", "c", 2, new FlowControl()).OrTimeout();

        Assert.Equal("e|c|2", result);
        Assert.Equal("e|c|2", withControl);
    }

    private static void AssertContext(StepContext context, string workflow, string step)
    {
        Assert.Equal(workflow, context.Workflow);
        Assert.Equal(step, context.Step);
        Assert.Equal(1, context.Attempt);
        Assert.Equal(-1, context.Index);
        Assert.Equal(-1, context.Count);
    }
}

[Workflow]
public partial class InputOrder
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _calls = new();

    public string Calls => string.Join("; ", _calls);

    // Not named A and B: a parameter named like a step (ignoring case) binds to that step's output.
    [Step]
    public void StepOne(int b, string a) => _calls.Enqueue($"StepOne(b={b}, a={a})");

    [Step]
    public void StepTwo(string a, double c) => _calls.Enqueue(FormattableString.Invariant($"StepTwo(a={a}, c={c})"));
}

[Workflow]
public partial class SharedInput
{
    [Step]
    public string First(string name) => name;

    [Step]
    public string Second(string first, string name, int count) => $"{first}/{name}/{count}";
}

[Workflow]
public partial class ExplicitBinding
{
    [Step]
    public int Compute() => 42;

    [Step]
    public string Describe([FromStep(nameof(Compute))] int whatever) => "answer is " + whatever;
}

[Workflow]
public partial class FromStepOverridesName
{
    [Step]
    public string First() => "first";

    [Step]
    public string Second() => "second";

    [Parallel("result")]
    public string Left([FromStep(nameof(Second))] string first) => first;

    [Parallel("result")]
    public string Right([FromStep(nameof(First))] string second) => second;
}

[Workflow]
public partial class NameMatchIgnoringCase
{
    [Step]
    public int ComputeValue() => 10;

    [Step]
    public int OtherValue() => 20;

    [Step]
    public int Total(int computevalue, int OTHERVALUE) => computevalue + OTHERVALUE;
}

[Workflow]
public partial class AsyncSuffix
{
    [Step]
    public async Task<int> LoadAsync()
    {
        await Task.Yield();
        return 5;
    }

    [Step]
    public ValueTask<int> ParseAsync(int load) => new(load + 1);

    [Step]
    public string Report(int load, int parse) => $"loaded {load}, parsed {parse}";
}

[Workflow]
public partial class ImplicitReferenceConversion
{
    [Step]
    public List<int> Items() => new() { 1, 2, 3 };

    [Step]
    public int Count(IReadOnlyCollection<int> items) => items.Count;
}

[Workflow]
public partial class StaticAndInstanceSteps(int factor)
{
    [Step]
    public static int Increment(int seed) => seed + 1;

    [Step]
    public int Scale(int increment) => increment * factor;

    [Step]
    private static Task<int> Offset(int scale) => Task.FromResult(scale + 100);
}

[Workflow]
public static partial class StaticWorkflow
{
    [Step]
    public static string Upper(string text) => text.ToUpperInvariant();

    [Step]
    internal static async ValueTask<string> Exclaim(string upper)
    {
        await Task.Yield();
        return upper + "!";
    }
}

[Workflow]
public partial class EveryReturnType(EventLog log)
{
    [Step]
    public void ReturnsVoid() => log.Add("void");

    [Step]
    public int ReturnsValue(int seed)
    {
        log.Add("T");
        return seed + 1;
    }

    [Step]
    public Task ReturnsTask()
    {
        log.Add("Task");
        return Task.CompletedTask;
    }

    [Step]
    public Task<int> ReturnsTaskOfT(int returnsValue)
    {
        log.Add("Task<T>");
        return Task.FromResult(returnsValue + 1);
    }

    [Step]
    public ValueTask ReturnsValueTask()
    {
        log.Add("ValueTask");
        return default;
    }

    [Step]
    public ValueTask<int> ReturnsValueTaskOfT(int returnsTaskOfT)
    {
        log.Add("ValueTask<T>");
        return new(returnsTaskOfT + 1);
    }

    [Step]
    public async Task SuspendsTask()
    {
        await Task.Delay(5);
        log.Add("async Task");
    }

    [Step]
    public async Task<int> SuspendsTaskOfT(int returnsValueTaskOfT)
    {
        await Task.Delay(5);
        log.Add("async Task<T>");
        return returnsValueTaskOfT;
    }

    [Step]
    public async ValueTask SuspendsValueTask()
    {
        await Task.Delay(5);
        log.Add("async ValueTask");
    }

    [Step]
    public async ValueTask<int> SuspendsValueTaskOfT(int suspendsTaskOfT)
    {
        await Task.Delay(5);
        log.Add("async ValueTask<T>");
        return suspendsTaskOfT + 1;
    }
}

[Workflow]
public partial class EveryReturnTypeInAGroup(EventLog log)
{
    [Parallel("all")]
    public void NoValue() => log.Add("void");

    [Parallel("all")]
    public int Plain(int seed) => seed + 1;

    [Parallel("all")]
    public Task JustTask()
    {
        log.Add("Task");
        return Task.CompletedTask;
    }

    [Parallel("all")]
    public async Task<int> TaskValue(int seed)
    {
        await Task.Delay(5);
        return seed + 2;
    }

    [Parallel("all")]
    public ValueTask JustValueTask()
    {
        log.Add("ValueTask");
        return default;
    }

    [Parallel("all")]
    public ValueTask<int> ValueTaskValue(int seed) => new(seed + 3);

    [Parallel("all")]
    public async Task SuspendingTask()
    {
        await Task.Delay(5);
        log.Add("async Task");
    }

    [Parallel("all")]
    public async ValueTask SuspendingValueTask()
    {
        await Task.Delay(5);
        log.Add("async ValueTask");
    }

    [Parallel("all")]
    public async ValueTask<int> SuspendingValueTaskValue(int seed)
    {
        await Task.Delay(5);
        return seed + 4;
    }

    [Parallel("all")]
    public Task<int> CompletedTaskValue(int seed) => Task.FromResult(seed + 5);
}

[Workflow]
public partial class ContextReader
{
    public StepContext SingleContext { get; private set; }

    public StepContext MemberContext { get; private set; }

    public StepContext SynchronousMemberContext { get; private set; }

    [Step]
    public void Single(StepContext context) => SingleContext = context;

    [Parallel("g")]
    public async Task Member(StepContext context, CancellationToken ct)
    {
        await Task.Yield();
        MemberContext = context;
    }

    [Parallel("g")]
    public void SynchronousMember(StepContext context) => SynchronousMemberContext = context;
}

[Workflow]
public partial class AwkwardNames
{
    [Step]
    public string Join(string @event, string control, int cancellationToken) => $"{@event}|{control}|{cancellationToken}";
}
