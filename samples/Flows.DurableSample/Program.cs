// The same [Workflow] classes as samples/Flows.Samples, run durably: each step is a Durable Task activity, the backend
// records every step's result, and a run whose worker crashed would go on in another worker without redoing them.
// Here the backend is the in-process test host (in memory); docs/durable.md shows a real one.
//
//     dotnet run --project samples/Flows.DurableSample

using Flows.DurableSample;
using Flows.Samples.PauseResume;
using Flows.Samples.TravelQuote;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The worker: the generated orchestrators and activities, and the services the activities create the workflows from.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSingleton<ITravelSuppliers, SimulatedSuppliers>();
builder.Services.AddInMemoryDurableTask(
    registry =>
    {
        TravelQuoteWorkflow.Durable.Register(registry);
        PageExportWorkflow.Durable.Register(registry);
    },
    new InMemoryDurableTaskOptions());

using var app = builder.Build();
await app.StartAsync();
var client = app.Services.GetRequiredService<DurableTaskClient>();

// 1. Travel quote: three supplier searches at once (a fail-fast group), then the quote.
var trip = new Trip("Oslo", "Lisbon", new DateOnly(2026, 5, 12), new DateOnly(2026, 5, 19), Travellers: 2);
Console.WriteLine($"Travel quote, {trip.From} -> {trip.To}, {trip.Travellers} travellers, as orchestration '{TravelQuoteWorkflow.Durable.OrchestrationName}':");
var quoteRun = await TravelQuoteWorkflow.Durable.ScheduleAsync(client, trip);
var quote = await TravelQuoteWorkflow.Durable.WaitForResultAsync(client, quoteRun);
Console.WriteLine($"  instance {quoteRun}");
Console.WriteLine($"  result   {quote.Flight.Airline}, {quote.Hotel.Hotel}, {quote.Car.Company} {quote.Car.Model}: {quote.Total:0.00} EUR");
await History.PrintAsync(client, quoteRun, Console.Out);
Console.WriteLine();

// 2. Page export: a foreach over 8 pages, 2 at a time (MaxDegreeOfParallelism = 2), then the total.
Console.WriteLine($"Page export, 8 pages 2 at a time, as orchestration '{PageExportWorkflow.Durable.OrchestrationName}':");
var exportRun = await PageExportWorkflow.Durable.ScheduleAsync(client, 8);
var totalBytes = await PageExportWorkflow.Durable.WaitForResultAsync(client, exportRun);
Console.WriteLine($"  instance {exportRun}");
Console.WriteLine($"  result   {totalBytes:N0} bytes");
await History.PrintAsync(client, exportRun, Console.Out);

await app.StopAsync();
return 0;
