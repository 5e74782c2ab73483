using System.Collections.Concurrent;
using DurableTask.Core;
using DurableTask.Core.History;

namespace Flows.DurableSample;

/// <summary>
/// A backend (here the test host's in-memory one) with one addition: it keeps each instance's history as the
/// orchestration dispatcher commits it, so that the sample can print it. The in-memory backend does not answer history
/// queries (its <c>GetOrchestrationHistoryAsync</c> is not implemented); a production backend does, through
/// <c>DurableTaskClient.GetOrchestrationHistoryAsync</c>. Every call goes to the backend unchanged.
/// </summary>
internal sealed class HistoryRecorder<TBackend>(TBackend backend) : IOrchestrationService, IOrchestrationServiceClient
    where TBackend : IOrchestrationService, IOrchestrationServiceClient
{
    private readonly ConcurrentDictionary<string, HistoryEvent[]> _histories = new();

    /// <summary>The instance's history as last committed, oldest event first.</summary>
    public IReadOnlyList<HistoryEvent> HistoryOf(string instanceId) =>
        _histories.TryGetValue(instanceId, out var events) ? events : [];

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        _histories[workItem.InstanceId] = [.. newOrchestrationRuntimeState.Events];
        return backend.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
    }

    // Everything else as the backend does it.
    public int TaskOrchestrationDispatcherCount => backend.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => backend.MaxConcurrentTaskOrchestrationWorkItems;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => backend.EventBehaviourForContinueAsNew;

    public int TaskActivityDispatcherCount => backend.TaskActivityDispatcherCount;

    public int MaxConcurrentTaskActivityWorkItems => backend.MaxConcurrentTaskActivityWorkItems;

    public Task StartAsync() => backend.StartAsync();

    public Task StopAsync() => backend.StopAsync();

    public Task StopAsync(bool isForced) => backend.StopAsync(isForced);

    public Task CreateAsync() => backend.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => backend.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => backend.CreateIfNotExistsAsync();

    public Task DeleteAsync() => backend.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => backend.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        backend.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => backend.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => backend.GetDelayInSecondsAfterOnFetchException(exception);

    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        backend.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => backend.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => backend.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => backend.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        backend.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => backend.RenewTaskActivityWorkItemLockAsync(workItem);

    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
        backend.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);

    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => backend.AbandonTaskActivityWorkItemAsync(workItem);

    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage) => backend.CreateTaskOrchestrationAsync(creationMessage);

    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[] dedupeStatuses) =>
        backend.CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses);

    public Task SendTaskOrchestrationMessageAsync(TaskMessage message) => backend.SendTaskOrchestrationMessageAsync(message);

    public Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages) => backend.SendTaskOrchestrationMessageBatchAsync(messages);

    public Task<OrchestrationState> WaitForOrchestrationAsync(string instanceId, string executionId, TimeSpan timeout, CancellationToken cancellationToken) =>
        backend.WaitForOrchestrationAsync(instanceId, executionId, timeout, cancellationToken);

    public Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) => backend.ForceTerminateTaskOrchestrationAsync(instanceId, reason);

    public Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions) =>
        backend.GetOrchestrationStateAsync(instanceId, allExecutions);

    public Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string executionId) =>
        backend.GetOrchestrationStateAsync(instanceId, executionId);

    public Task<string> GetOrchestrationHistoryAsync(string instanceId, string executionId) => backend.GetOrchestrationHistoryAsync(instanceId, executionId);

    public Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc, OrchestrationStateTimeRangeFilterType timeRangeFilterType) =>
        backend.PurgeOrchestrationHistoryAsync(thresholdDateTimeUtc, timeRangeFilterType);
}
