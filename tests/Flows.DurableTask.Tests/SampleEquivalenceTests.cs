using System.Text.Json;
using Flows.DurableTask.Tests.Workflows;
using Trip = Flows.Samples.TravelQuote.Trip;
using Flows.Samples.Batch;
using Flows.Samples.Dataflow;
using Flows.Samples.Fallback;
using Flows.Samples.MultiModel;
using Flows.Samples.Notifications;
using Flows.Samples.PauseResume;
using Flows.Samples.TravelQuote;
using Flows.Samples.Validation;
using Flows.Samples.WordCount;

namespace Flows.DurableTask.Tests;

/// <summary>
/// Every workflow of samples/Flows.Samples runs durably on the test host and gives what its in-process RunAsync gives for
/// the same inputs and the same services. Results are compared as JSON: a record holding a list compares its list by
/// reference, and what crosses the wire is what JSON keeps.
/// </summary>
[Collection(DurableCollection.Name)]
public sealed class SampleEquivalenceTests(DurableHostFixture host)
{
    private static readonly Trip Trip = new("Oslo", "Lisbon", new DateOnly(2026, 5, 12), new DateOnly(2026, 5, 19), Travellers: 2);

    private static readonly Order GoodOrder = new(
        "A-1001", "ana@example.pt", new Address("Rua Augusta 12", "Lisboa", "1100-053", "PT"), "4539578763621486",
        [new OrderLine("KETTLE-1", 1), new OrderLine("MUG-2", 4)]);

    [Fact]
    public async Task TravelQuote() =>
        AssertSameJson(
            await new TravelQuoteWorkflow(new SimulatedSuppliers()).RunAsync(Trip),
            await TravelQuoteWorkflow.Durable.RunAsync(host.Client, Trip, Limit()));

    [Fact]
    public async Task MultiModel()
    {
        var models = SimulatedModels.Names;
        const string text = "Arrived on time, but the lid leaks.";
        var expected = await new ReviewAnalysisWorkflow(new SimulatedModels()).RunAsync(models, text);
        var durable = await ReviewAnalysisWorkflow.Durable.RunAsync(host.Client, models, text, Limit());

        // Everything but the skipped models' reasons is the same. A failure does not cross the wire as an exception
        // object: the durable outcome's exception is a DurableStepException whose message names the step and the
        // original type before the original message.
        AssertSameJson(expected with { Skipped = [] }, durable with { Skipped = [] });
        Assert.Equal(expected.Skipped.Select(skip => skip.Model), durable.Skipped.Select(skip => skip.Model));
        Assert.NotEmpty(expected.Skipped);
        foreach (var (inProcess, run) in expected.Skipped.Zip(durable.Skipped))
        {
            Assert.EndsWith(inProcess.Reason, run.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ValidationOfAGoodOrder() =>
        Assert.Equal(
            await new OrderValidationWorkflow(new SimulatedCheckServices()).RunAsync(GoodOrder),
            await OrderValidationWorkflow.Durable.RunAsync(host.Client, GoodOrder, Limit()));

    [Fact]
    public async Task ValidationOfABadOrderReportsEveryFailedCheck()
    {
        var bad = GoodOrder with
        {
            Id = "A-1002",
            CustomerEmail = "ana.example.pt",
            ShipTo = new Address("Karl Johans gate 1", "Oslo", "0154", "NO"),
            Lines = [new OrderLine("MUG-2", 2), new OrderLine("TEAPOT-3", 1)],
        };
        var expected = await Assert.ThrowsAsync<AggregateException>(async () => await new OrderValidationWorkflow(new SimulatedCheckServices()).RunAsync(bad));
        var durable = await Assert.ThrowsAsync<DurableWorkflowException>(() => OrderValidationWorkflow.Durable.RunAsync(host.Client, bad, Limit()));

        Assert.Equal(typeof(AggregateException).FullName, durable.ErrorType);
        Assert.True(expected.InnerExceptions.Count >= 2);
        foreach (var failure in expected.InnerExceptions)
        {
            Assert.Contains(failure.Message, durable.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Fallback()
    {
        var source = SampleWorkflows.RateSource;
        AssertSameJson(
            await new ExchangeRateWorkflow(source, source, source).RunAsync("USD", "EUR", 250.00m),
            await ExchangeRateWorkflow.Durable.RunAsync(host.Client, "USD", "EUR", 250.00m, Limit()));
    }

    [Fact]
    public async Task Batch()
    {
        var records = Enumerable.Range(1, SampleWorkflows.BatchRecords).Select(id => new CustomerRecord(id, $"Customer {id}")).ToArray();
        AssertSameJson(
            await new RecordUploadWorkflow().RunAsync(records),
            await RecordUploadWorkflow.Durable.RunAsync(host.Client, records, Limit()));
    }

    [Fact]
    public async Task WordCount()
    {
        var text = string.Join(' ', Enumerable.Range(0, 2_000).Select(i => $"word{i % 37} Word{i % 11}"));
        AssertSameJson(
            await new WordCountWorkflow().RunAsync(text, 6),
            await WordCountWorkflow.Durable.RunAsync(host.Client, text, 6, Limit()));
    }

    [Fact]
    public async Task Notifications()
    {
        var channel = SampleWorkflows.Channel;
        var alert = new Alert("checkout-api", "p99 latency above 2 s for 5 minutes");
        AssertSameJson(
            await new NotifyWorkflow(channel, channel, channel, channel).RunAsync(alert),
            await NotifyWorkflow.Durable.RunAsync(host.Client, alert, Limit()));
    }

    [Fact]
    public async Task Dataflow() =>
        AssertSameJson(
            await new DiamondWorkflow(new RecommendationServices()).RunAsync(42),
            await DiamondWorkflow.Durable.RunAsync(host.Client, 42, Limit()));

    [Fact]
    public async Task StagedDiamond() =>
        AssertSameJson(
            await new StagedDiamondWorkflow(new RecommendationServices()).RunAsync(42),
            await StagedDiamondWorkflow.Durable.RunAsync(host.Client, 42, Limit()));

    [Fact]
    public async Task PageExport() =>
        Assert.Equal(
            await new PageExportWorkflow().RunAsync(8),
            await PageExportWorkflow.Durable.RunAsync(host.Client, 8, Limit()));

    private static CancellationToken Limit() => new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token;

    private static void AssertSameJson<T>(T expected, T actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
}
