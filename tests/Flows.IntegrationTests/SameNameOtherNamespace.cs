namespace Flows.IntegrationTests.OtherNamespace;

/// <summary>Has the name of another workflow of this project: the generated files must not collide.</summary>
[Workflow]
public partial class SynchronousSteps
{
    [Step]
    public string Only() => "other namespace";
}

public sealed class SameNameOtherNamespaceTests
{
    [Fact]
    public async Task Workflows_with_one_name_in_two_namespaces_are_both_generated()
    {
        Assert.Equal("other namespace", await new SynchronousSteps().RunAsync().OrTimeout());

        var log = new EventLog();
        await new Flows.IntegrationTests.SynchronousSteps(log).RunAsync().OrTimeout();
        Assert.Equal(4, log.Events.Count);
    }
}
