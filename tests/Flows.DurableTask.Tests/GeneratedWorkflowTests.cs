using Flows.DurableTask.Tests.Workflows;

namespace Flows.DurableTask.Tests;

/// <summary>Generated Durable classes run on the test host and give what the in-process RunAsync gives.</summary>
[Collection(DurableCollection.Name)]
public sealed class GeneratedWorkflowTests(DurableHostFixture host)
{
    [Fact]
    public async Task QuoteRunsDurablyWithTheInProcessResult()
    {
        var trip = new Trip("Lisbon", 3);
        var expected = await new QuoteWorkflow(new FixedPrices()).RunAsync(trip);

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var durable = await QuoteWorkflow.Durable.RunAsync(host.Client, trip, limit.Token);

        Assert.Equal(expected, durable);
    }
}
