// The same [Workflow] classes as samples/Flows.Samples, run durably: each step is a Durable Task activity, the backend
// records every step's result, and a run whose worker crashed would go on in another worker without redoing them.
//
//     dotnet run --project samples/Flows.DurableSample
//
// Here the backend is in memory, in this process: the test host's in-memory orchestration service behind the Durable
// Task gRPC sidecar, which the worker and the client talk to as they would to a production one. docs/durable.md shows
// real backends; only the lines that build the backend change.

using Flows.DurableSample;
using Flows.DurableTask.StorageWorker;
using Flows.Samples.PauseResume;
using Flows.Samples.TravelQuote;
using Grpc.Net.Client;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using var loggerFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Warning));

// The backend, recording each run's history so that this sample can print it, behind the sidecar.
var backend = new HistoryRecorder<InMemoryOrchestrationService>(new InMemoryOrchestrationService(loggerFactory));
await using var sidecar = await Sidecar.StartAsync(backend, TaskHubGrpcServerMode.ApiServerAndDispatcher, loggerFactory);
using var channel = GrpcChannel.ForAddress(sidecar.Address);

// The worker runs the generated orchestrators and activities; the activities create the workflows from its services.
// The client schedules runs and waits for them.
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Services.AddSingleton(loggerFactory);
builder.Services.AddLogging();
builder.Services.AddSingleton<ITravelSuppliers, SimulatedSuppliers>();
builder.Services.AddDurableTaskWorker(worker =>
{
    worker.UseGrpc(channel);
    worker.AddTasks(TravelQuoteWorkflow.Durable.Register);
    worker.AddTasks(PageExportWorkflow.Durable.Register);
});
builder.Services.AddDurableTaskClient(client => client.UseGrpc(channel));
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
History.Print(backend.HistoryOf(quoteRun), Console.Out);
Console.WriteLine();

// 2. Page export: a foreach over 8 pages, 2 at a time (MaxDegreeOfParallelism = 2), then the total.
Console.WriteLine($"Page export, 8 pages 2 at a time, as orchestration '{PageExportWorkflow.Durable.OrchestrationName}':");
var exportRun = await PageExportWorkflow.Durable.ScheduleAsync(client, 8);
var totalBytes = await PageExportWorkflow.Durable.WaitForResultAsync(client, exportRun);
Console.WriteLine($"  instance {exportRun}");
Console.WriteLine($"  result   {totalBytes:N0} bytes");
History.Print(backend.HistoryOf(exportRun), Console.Out);

await app.StopAsync();
return 0;
