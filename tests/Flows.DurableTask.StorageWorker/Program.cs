using Flows.DurableTask.StorageWorker;
using Grpc.Net.Client;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A worker process on the Azure Storage backend (see the project file). It runs until it is killed, until its standard
// input closes (the test that started it has gone, even without cleaning up), or at most an hour.
var arguments = WorkerArguments.Parse(args);
var workerId = $"{arguments.Name}-{Environment.ProcessId}";

using var loggerFactory = LoggerFactory.Create(logging => logging
    .AddSimpleConsole(console => console.TimestampFormat = "HH:mm:ss.fff ")
    .SetMinimumLevel(LogLevel.Warning));

using var service = await StorageBackend.CreateServiceAsync(
    StorageBackend.Settings(arguments.ConnectionString, arguments.TaskHub, workerId, loggerFactory));
await using var sidecar = await Sidecar.StartAsync(service, TaskHubGrpcServerMode.ApiServerAndDispatcher, loggerFactory);
using var channel = GrpcChannel.ForAddress(sidecar.Address);
using var executions = new ExecutionLog(arguments.LogFolder);

var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Services.AddSingleton(loggerFactory);
builder.Services.AddLogging();
// The workload's activity takes the execution log from the container (as a generated durable workflow's activities will
// create the workflow instance from it, with its constructor's services).
builder.Services.AddSingleton(executions);
builder.Services.AddDurableTaskWorker(worker =>
{
    worker.UseGrpc(channel);
    worker.AddTasks(CrashWorkload.Durable.Register);
});

using var host = builder.Build();
await host.StartAsync();
Console.Out.WriteLine($"{WorkerArguments.ReadyLine} {workerId} {sidecar.Address}");
Console.Out.Flush();

var stdinClosed = Task.Run(() =>
{
    while (Console.In.ReadLine() is not null)
    {
    }
});
await Task.WhenAny(stdinClosed, Task.Delay(TimeSpan.FromHours(1)));
using var stopLimit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
await host.StopAsync(stopLimit.Token);
