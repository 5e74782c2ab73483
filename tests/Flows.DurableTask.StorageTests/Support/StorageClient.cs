using DurableTask.AzureStorage;
using Grpc.Net.Client;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flows.DurableTask.StorageTests.Support;

/// <summary>
/// The test's own view of a task hub: a <see cref="DurableTaskClient"/> (as an application would schedule and wait for
/// runs) through a sidecar that serves client calls only, so that the test process runs no orchestration or activity;
/// and a direct look at the histories the backend has recorded.
/// </summary>
public sealed class StorageClient : IAsyncDisposable
{
    private readonly AzureStorageOrchestrationService _service;
    private readonly Sidecar _sidecar;
    private readonly GrpcChannel _channel;
    private readonly ServiceProvider _services;

    private StorageClient(AzureStorageOrchestrationService service, Sidecar sidecar, GrpcChannel channel, ServiceProvider services)
    {
        _service = service;
        _sidecar = sidecar;
        _channel = channel;
        _services = services;
        Client = services.GetRequiredService<DurableTaskClient>();
    }

    /// <summary>The client, connected to the task hub.</summary>
    public DurableTaskClient Client { get; }

    /// <summary>Creates the task hub <paramref name="taskHub"/> if needed and connects to it.</summary>
    public static async Task<StorageClient> ConnectAsync(string connectionString, string taskHub)
    {
        var loggerFactory = NullLoggerFactory.Instance;
        var service = await StorageBackend.CreateServiceAsync(
            StorageBackend.Settings(connectionString, taskHub, $"test-client-{Environment.ProcessId}", loggerFactory)).ConfigureAwait(false);
        try
        {
            var sidecar = await Sidecar.StartAsync(service, TaskHubGrpcServerMode.ApiServerOnly, loggerFactory).ConfigureAwait(false);
            var channel = GrpcChannel.ForAddress(sidecar.Address);
            var services = new ServiceCollection()
                .AddSingleton<ILoggerFactory>(loggerFactory)
                .AddLogging()
                .AddDurableTaskClient(client =>
                {
                    client.UseGrpc(channel);
                    client.RegisterDirectly();
                })
                .BuildServiceProvider();
            return new StorageClient(service, sidecar, channel, services);
        }
        catch
        {
            service.Dispose();
            throw;
        }
    }

    /// <summary>The activities (by item) that the backend has recorded as scheduled and as completed in <paramref name="instanceId"/>'s history.</summary>
    public async Task<RecordedActivities> RecordedActivitiesAsync(string instanceId)
    {
        var states = await _service.GetOrchestrationStateAsync(instanceId, allExecutions: false).ConfigureAwait(false);
        var executionId = states.Single().OrchestrationInstance.ExecutionId;
        var history = await _service.GetOrchestrationHistoryAsync(instanceId, executionId).ConfigureAwait(false);
        return HistoryReader.Read(history);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync().ConfigureAwait(false);
        _channel.Dispose();
        await _sidecar.DisposeAsync().ConfigureAwait(false);
        _service.Dispose();
    }
}
