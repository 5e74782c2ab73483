using System.Reflection;
using System.Runtime.CompilerServices;

namespace Flows.IntegrationTests;

public sealed class ResultTests
{
    [Fact]
    public async Task A_last_group_with_several_values_gives_a_tuple_named_after_the_outputs()
    {
        var result = await new TupleResult().RunAsync().OrTimeout();

        Assert.Equal(1, result.Left);
        Assert.Equal("right", result.Right);
    }

    [Fact]
    public void The_tuple_element_names_are_the_output_names_in_declaration_order()
    {
        Assert.Equal(new[] { "Left", "Right" }, TupleNamesOf(typeof(TupleResult)));
        Assert.Equal(typeof(ValueTask<(int, string)>), RunAsyncOf(typeof(TupleResult)).ReturnType);
    }

    [Fact]
    public async Task Void_members_of_the_last_group_are_not_part_of_the_tuple()
    {
        var log = new EventLog();

        var (count, name) = await new TupleWithVoidMembers(log).RunAsync().OrTimeout();

        Assert.Equal((3, "three"), (count, name));
        Assert.Equal(new[] { "Log", "Notify" }, log.Events.OrderBy(e => e, StringComparer.Ordinal));
        Assert.Equal(new[] { "Count", "Name" }, TupleNamesOf(typeof(TupleWithVoidMembers)));
    }

    [Fact]
    public async Task A_last_group_with_one_value_gives_that_value_not_a_tuple()
    {
        int result = await new GroupWithOneValue().RunAsync().OrTimeout();

        Assert.Equal(7, result);
        Assert.Equal(typeof(ValueTask<int>), RunAsyncOf(typeof(GroupWithOneValue)).ReturnType);
    }

    [Fact]
    public async Task A_last_step_with_a_value_gives_that_value()
    {
        string result = await new SingleResult().RunAsync(21).OrTimeout();

        Assert.Equal("42", result);
        Assert.Equal(typeof(ValueTask<string>), RunAsyncOf(typeof(SingleResult)).ReturnType);
    }

    [Fact]
    public async Task Only_the_last_stage_gives_the_result_even_when_it_has_no_value()
    {
        var workflow = new NoResult();

        ValueTask run = workflow.RunAsync();
        await run.OrTimeout();

        Assert.Equal(5, workflow.Seen);
        Assert.Equal(typeof(ValueTask), RunAsyncOf(typeof(NoResult)).ReturnType);
    }

    [Fact]
    public async Task A_last_group_without_values_gives_a_plain_ValueTask()
    {
        await new GroupWithoutValues().RunAsync().OrTimeout();

        Assert.Equal(typeof(ValueTask), RunAsyncOf(typeof(GroupWithoutValues)).ReturnType);
    }

    [Fact]
    public async Task A_result_type_may_be_a_reference_type_that_is_null()
    {
        var result = await new NullableResult().RunAsync(null).OrTimeout();

        Assert.Null(result);
    }

    [Fact]
    public async Task Tuple_results_of_three_with_mixed_return_kinds_keep_declaration_order()
    {
        var result = await new ThreeValueTuple().RunAsync(2).OrTimeout();

        Assert.Equal((2, "2", 2.0), (result.Number, result.Text, result.Real));
        Assert.Equal(new[] { "Number", "Text", "Real" }, TupleNamesOf(typeof(ThreeValueTuple)));
    }

    [Fact]
    public async Task An_output_name_a_tuple_cannot_carry_leaves_that_element_unnamed()
    {
        var result = await new UnnameableTupleElement().RunAsync().OrTimeout();

        // "Rest" is not allowed as a tuple element name: the element keeps its positional name.
        Assert.Equal(1, result.Item1);
        Assert.Equal(2, result.Other);
    }

    private static MethodInfo RunAsyncOf(Type workflow) =>
        workflow.GetMethods().Single(method => method.Name == "RunAsync" && method.GetParameters().All(p => p.ParameterType != typeof(FlowControl) && p.ParameterType != typeof(ExecutionTimeline)));

    private static IList<string?> TupleNamesOf(Type workflow) =>
        RunAsyncOf(workflow).ReturnParameter.GetCustomAttribute<TupleElementNamesAttribute>()?.TransformNames
        ?? throw new Xunit.Sdk.XunitException("RunAsync's result has no tuple element names.");
}

[Workflow]
public partial class TupleResult
{
    [Step]
    public void Prepare()
    {
    }

    [Parallel("result")]
    public int Left() => 1;

    [Parallel("result")]
    public async Task<string> RightAsync()
    {
        await Task.Yield();
        return "right";
    }
}

[Workflow]
public partial class TupleWithVoidMembers(EventLog log)
{
    [Parallel("result")]
    public void Log() => log.Add(nameof(Log));

    [Parallel("result")]
    public ValueTask<int> Count() => new(3);

    [Parallel("result")]
    public Task Notify()
    {
        log.Add(nameof(Notify));
        return Task.CompletedTask;
    }

    [Parallel("result")]
    public string Name() => "three";
}

[Workflow]
public partial class GroupWithOneValue
{
    [Parallel("result")]
    public Task Nothing() => Task.Delay(1);

    [Parallel("result")]
    public async ValueTask<int> Seven()
    {
        await Task.Yield();
        return 7;
    }
}

[Workflow]
public partial class SingleResult
{
    [Step]
    public int Double(int value) => value * 2;

    [Step]
    public Task<string> Format(int @double) => Task.FromResult(@double.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

[Workflow]
public partial class NoResult
{
    public int Seen { get; private set; }

    [Step]
    public int Five() => 5;

    [Step]
    public void Store(int five) => Seen = five;
}

[Workflow]
public partial class GroupWithoutValues
{
    [Step]
    public int Value() => 1;

    [Parallel("end")]
    public Task First() => Task.Delay(1);

    [Parallel("end")]
    public void Second()
    {
    }
}

[Workflow]
public partial class NullableResult
{
    [Step]
    public string? Echo(string? text) => text;
}

[Workflow]
public partial class ThreeValueTuple
{
    [Parallel("all")]
    public async Task<int> NumberAsync(int seed)
    {
        await Task.Yield();
        return seed;
    }

    [Parallel("all")]
    public string Text(int seed) => seed.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Parallel("all")]
    public ValueTask<double> Real(int seed) => new(seed);
}

[Workflow]
public partial class UnnameableTupleElement
{
    [Parallel("result")]
    public int Rest() => 1;

    [Parallel("result")]
    public int Other() => 2;
}
