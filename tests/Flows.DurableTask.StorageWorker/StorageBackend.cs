using DurableTask.AzureStorage;
using Microsoft.Extensions.Logging;

namespace Flows.DurableTask.StorageWorker;

/// <summary>
/// The Azure Storage Durable Task backend as every process of the tests uses it: the workers (which run orchestrations
/// and activities) and the test (which only schedules and waits). One task hub per test, shared by all its processes.
/// </summary>
/// <remarks>
/// The provider's defaults suit a long-lived cloud deployment; a few are shortened here so that a killed worker's work
/// comes back within seconds rather than minutes. None of them changes what is recorded or when a completion counts:
/// <list type="bullet">
/// <item>A worker killed while holding queue messages does not return them; they become visible again when their
/// visibility timeout ends (default 5 minutes; here 20 s, still far longer than any activity or episode takes).</item>
/// <item>A killed worker's partition leases lapse after <see cref="AzureStorageOrchestrationServiceSettings.LeaseInterval"/>
/// (default 30 s; here 15 s) and are taken over on the next acquire pass (default every 10 s; here 2 s).</item>
/// <item>An idle queue is polled at least every second (default 30 s), so a worker that starts while another is busy
/// picks up activities at once.</item>
/// <item>Every process needs its own <see cref="AzureStorageOrchestrationServiceSettings.WorkerId"/> (the default, the
/// machine name, is the same for all of them), and the app lease, meant for deployments of different app versions, is
/// off.</item>
/// </list>
/// </remarks>
public static class StorageBackend
{
    /// <summary>The activities one worker process runs at once.</summary>
    public const int ActivitiesPerWorker = 10;

    /// <summary>The settings of a process on <paramref name="taskHub"/>.</summary>
    /// <param name="connectionString">The storage account (Azurite's, in the tests).</param>
    /// <param name="taskHub">The task hub: letters and digits, 3 to 45 characters, starting with a letter.</param>
    /// <param name="workerId">A name unique among the processes on the task hub.</param>
    /// <param name="loggerFactory">Where the provider logs.</param>
    public static AzureStorageOrchestrationServiceSettings Settings(
        string connectionString, string taskHub, string workerId, ILoggerFactory loggerFactory) => new()
    {
        StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
        TaskHubName = taskHub,
        WorkerId = workerId,
        AppName = "Flows.DurableTask.StorageTests",
        UseAppLease = false,
        ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(20),
        WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(20),
        LeaseInterval = TimeSpan.FromSeconds(15),
        LeaseRenewInterval = TimeSpan.FromSeconds(3),
        LeaseAcquireInterval = TimeSpan.FromSeconds(2),
        // Azurite on a busy 2-core machine can take more than the default 2 s for a partition table update.
        PartitionTableOperationTimeout = TimeSpan.FromSeconds(10),
        MaxQueuePollingInterval = TimeSpan.FromSeconds(1),
        MaxConcurrentTaskActivityWorkItems = ActivitiesPerWorker,
        LoggerFactory = loggerFactory,
    };

    /// <summary>A service over <paramref name="settings"/>; its task hub (queues, tables, containers) is created if missing.</summary>
    public static async Task<AzureStorageOrchestrationService> CreateServiceAsync(AzureStorageOrchestrationServiceSettings settings)
    {
        var service = new AzureStorageOrchestrationService(settings);
        await service.CreateIfNotExistsAsync().ConfigureAwait(false);
        return service;
    }
}
