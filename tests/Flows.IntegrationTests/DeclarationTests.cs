namespace Flows.IntegrationTests;

public sealed class DeclarationTests
{
    [Fact]
    public async Task A_workflow_nested_in_a_partial_class_runs()
    {
        var result = await new OuterType.NestedWorkflow().RunAsync(4).OrTimeout();

        Assert.Equal(16, result);
    }

    [Fact]
    public async Task A_workflow_nested_two_levels_deep_runs()
    {
        var result = await new OuterType.Middle.DeeplyNestedWorkflow().RunAsync().OrTimeout();

        Assert.Equal((1, 2), (result.One, result.Two));
    }

    [Fact]
    public async Task A_workflow_nested_in_a_partial_record_and_a_partial_struct_runs()
    {
        Assert.Equal("ok", await new OuterRecord.InRecord().RunAsync().OrTimeout());
        Assert.Equal("ok", await new OuterStruct.InStruct().RunAsync().OrTimeout());
    }

    [Fact]
    public async Task A_workflow_in_the_global_namespace_runs()
    {
        var result = await new GlobalNamespaceWorkflow().RunAsync("hello").OrTimeout();

        Assert.Equal("5 characters", result);
        Assert.Null(typeof(GlobalNamespaceWorkflow).Namespace);
    }

    [Fact]
    public async Task A_sealed_workflow_runs()
    {
        var result = await new SealedWorkflow().RunAsync(2, 3).OrTimeout();

        Assert.Equal(6, result);
        Assert.True(typeof(SealedWorkflow).IsSealed);
    }

    [Fact]
    public async Task A_partial_record_workflow_runs_and_its_steps_see_its_properties()
    {
        var workflow = new RecordWorkflow(Factor: 10);

        var result = await workflow.RunAsync(5).OrTimeout();

        Assert.Equal(50 + 1, result);
        Assert.Equal(new RecordWorkflow(10), workflow);
    }

    [Fact]
    public async Task An_internal_workflow_with_private_steps_runs()
    {
        var result = await new InternalWorkflow().RunAsync().OrTimeout();

        Assert.Equal("private+protected+internal", result);
    }

    [Fact]
    public async Task A_generic_workflow_runs_with_its_type_argument()
    {
        var result = await new GenericWorkflow<string>("value").RunAsync().OrTimeout();

        Assert.Equal(new[] { "value", "value" }, result);
    }

    [Fact]
    public async Task A_workflow_without_steps_completes_and_honours_cancellation()
    {
        await new EmptyWorkflow().RunAsync().OrTimeout();

        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await new EmptyWorkflow().RunAsync(cts.Token).OrTimeout());
    }
}

public partial class OuterType
{
    [Workflow]
    public partial class NestedWorkflow
    {
        [Step]
        public int Square(int value) => value * value;
    }

    public partial class Middle
    {
        [Workflow]
        internal sealed partial class DeeplyNestedWorkflow
        {
            [Parallel("both")]
            public int One() => 1;

            [Parallel("both")]
            public Task<int> Two() => Task.FromResult(2);
        }
    }
}

public partial record OuterRecord
{
    [Workflow]
    public partial class InRecord
    {
        [Step]
        public string Ok() => "ok";
    }
}

public partial struct OuterStruct
{
    [Workflow]
    public partial class InStruct
    {
        [Step]
        public string Ok() => "ok";
    }
}

[Workflow]
public sealed partial class SealedWorkflow
{
    [Step]
    public int Multiply(int left, int right) => left * right;
}

[Workflow]
public partial record RecordWorkflow(int Factor)
{
    [Step]
    public int Scale(int value) => value * Factor;

    [Step]
    public ValueTask<int> Increment(int scale) => new(scale + 1);
}

[Workflow]
internal partial class InternalWorkflow
{
    [Step]
    private string First() => "private";

    [Step]
    protected string Second(string first) => first + "+protected";

    [Step]
    internal Task<string> Third(string second) => Task.FromResult(second + "+internal");
}

[Workflow]
public partial class GenericWorkflow<T>(T value)
{
    [Parallel("pair")]
    public T Left() => value;

    [Parallel("pair")]
    public async Task<T> Right()
    {
        await Task.Yield();
        return value;
    }

    [Step]
    public T[] Both(T left, T right) => new[] { left, right };
}

[Workflow]
public partial class EmptyWorkflow
{
    public void NotAStep()
    {
    }
}
