namespace Flows.IntegrationTests;

public sealed class MermaidDiagramTests
{
    [Fact]
    public void The_diagram_is_a_Mermaid_flowchart_naming_every_step()
    {
        var diagram = Checkout.MermaidDiagram;

        Assert.StartsWith("flowchart", diagram);
        foreach (var step in new[] { "LoadOrder", "CheckInventory", "ValidatePayment", "Lines", "Complete" })
        {
            Assert.Contains(step, diagram);
        }
    }

    [Fact]
    public void The_diagram_shows_a_parallel_group_by_its_name()
    {
        Assert.Contains("checks", Checkout.MermaidDiagram);
        Assert.Contains("subgraph", Checkout.MermaidDiagram);
    }

    [Fact]
    public void Every_workflow_gets_its_own_diagram_and_it_is_a_compile_time_constant()
    {
        const string diagram = SynchronousSteps.MermaidDiagram;

        Assert.NotEqual(Checkout.MermaidDiagram, diagram);
        Assert.Contains("Alpha", diagram);
        Assert.DoesNotContain("LoadOrder", diagram);
    }

    [Fact]
    public void The_diagram_lists_the_steps_of_sequential_stages_in_declaration_order()
    {
        var diagram = SynchronousSteps.MermaidDiagram;

        var positions = new[] { "Alpha", "Bravo", "Charlie", "Delta" }.Select(step => diagram.IndexOf(step, StringComparison.Ordinal)).ToArray();
        Assert.All(positions, position => Assert.True(position >= 0));
        Assert.Equal(positions.OrderBy(p => p), positions);
    }
}
