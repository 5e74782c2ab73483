using Flows.DurableTask.Tests.Workflows;

namespace Flows.DurableTask.Tests;

/// <summary>
/// A foreach above the history bound runs in chunks, each a sub-orchestration: the results, their order, the degree and
/// the failure policies are those of a foreach run in one orchestration. The bound is lowered to 10 items here.
/// </summary>
[Collection(DurableCollection.Name)]
public sealed class GeneratedSplitTests(DurableHostFixture host)
{
    [Fact]
    public async Task LargeForEachRunsInChunksWithTheInProcessResult()
    {
        const int count = 45;
        var expected = await new SplitSquaresWorkflow().RunAsync(count, "in-process");
        var runId = Guid.NewGuid().ToString("N");

        var (total, instanceId) = await WithBoundAsync(10, async () =>
        {
            var id = await SplitSquaresWorkflow.Durable.ScheduleAsync(host.Client, count, runId);
            return (await SplitSquaresWorkflow.Durable.WaitForResultAsync(host.Client, id, Limit()), id);
        });

        // Indexes are the items' positions in the whole source, not in their chunk: the same sum as in-process.
        Assert.Equal(expected, total);
        Assert.InRange(SplitProbe.MaxRunning(runId), 1, 3);

        // Five chunks of at most ten items, each a sub-orchestration that completed, named after where it starts.
        var chunks = await ChunksOfAsync(SplitSquaresWorkflow.Durable.OrchestrationName + ".SquareAsync.Items", instanceId);
        Assert.Equal(5, chunks.Count);
        Assert.All(chunks, chunk => Assert.Equal(OrchestrationRuntimeStatus.Completed, chunk.RuntimeStatus));
        Assert.Equal(
            new[] { 0, 10, 20, 30, 40 }.Select(offset => $"{instanceId}:SquareAsync:{offset}"),
            chunks.Select(chunk => chunk.InstanceId).Order(StringComparer.Ordinal).OrderBy(id => id.Length));
    }

    [Fact]
    public async Task SplitContinueOnErrorForEachGivesEveryOutcomeInOrder()
    {
        const int count = 30;
        var expected = await new SplitOutcomesWorkflow().RunAsync(count);

        var report = await WithBoundAsync(8, () => SplitOutcomesWorkflow.Durable.RunAsync(host.Client, count, Limit()));

        Assert.Equal(expected, report);
        Assert.Contains(",x,", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SplitForEachChecksTheSuccessRateOverAllItems()
    {
        // Every seventh item fails: with 13 items, 12 of 13 succeed. With one item per chunk, the chunk of item 7 has no
        // success at all: the rate is checked over all chunks together, so that chunk does not fail the run on its own.
        var report = await WithBoundAsync(1, () => SplitOutcomesWorkflow.Durable.RunAsync(host.Client, 13, Limit()));
        Assert.Equal("1,2,3,4,5,6,x,8,9,10,11,12,13", report);
    }

    private async Task<List<OrchestrationMetadata>> ChunksOfAsync(string chunkName, string parentInstanceId)
    {
        var chunks = new List<OrchestrationMetadata>();
        // Chunks are named after their parent, the step and where they start in the source.
        await foreach (var instance in host.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = parentInstanceId + ":SquareAsync:" }))
        {
            if (instance.Name == chunkName)
            {
                chunks.Add(instance);
            }
        }

        return chunks;
    }

    private static async Task<T> WithBoundAsync<T>(int itemsPerOrchestration, Func<Task<T>> run)
    {
        DurableSplit.ItemsPerOrchestration = itemsPerOrchestration;
        try
        {
            return await run();
        }
        finally
        {
            DurableSplit.ItemsPerOrchestration = DurableSplit.DefaultItemsPerOrchestration;
        }
    }

    private static CancellationToken Limit() => new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token;
}
