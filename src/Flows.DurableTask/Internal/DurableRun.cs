using System.ComponentModel;
using Microsoft.DurableTask.Client;

namespace Flows.DurableTask.Internal;

/// <summary>
/// Waits for a durable workflow run on the client side and turns its end into a result or an exception. Client code,
/// not orchestrator code. Not meant to be called by user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DurableRun
{
    /// <summary>Waits for the run to end and reads its result.</summary>
    /// <exception cref="DurableWorkflowException">The run failed.</exception>
    /// <exception cref="OperationCanceledException">The run was terminated, or <paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<TResult> WaitForResultAsync<TResult>(DurableTaskClient client, string instanceId, CancellationToken cancellationToken = default)
    {
        var metadata = await WaitAsync(client, instanceId, getOutput: true, cancellationToken).ConfigureAwait(false);
        return metadata.ReadOutputAs<TResult>()!;
    }

    /// <summary>Waits for a run without a result to end.</summary>
    /// <exception cref="DurableWorkflowException">The run failed.</exception>
    /// <exception cref="OperationCanceledException">The run was terminated, or <paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task WaitForCompletionAsync(DurableTaskClient client, string instanceId, CancellationToken cancellationToken = default) =>
        await WaitAsync(client, instanceId, getOutput: false, cancellationToken).ConfigureAwait(false);

    /// <summary>Terminates a run whose caller gave up on it (a cancelled <c>RunAsync</c>); a run that has ended already is left as it is.</summary>
    public static async Task TerminateAsync(DurableTaskClient client, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(instanceId);
        try
        {
            await client.TerminateInstanceAsync(instanceId, "Cancelled by the caller of RunAsync.", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The run ended (or was never created) in the meantime: there is nothing left to terminate.
        }
    }

    private static async Task<OrchestrationMetadata> WaitAsync(DurableTaskClient client, string instanceId, bool getOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(instanceId);
        var metadata = await client.WaitForInstanceCompletionAsync(instanceId, getOutput, cancellationToken).ConfigureAwait(false);
        return metadata.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Completed => metadata,
            OrchestrationRuntimeStatus.Failed => throw DurableWorkflowException.FromFailureDetails(instanceId, metadata.FailureDetails),
            OrchestrationRuntimeStatus.Terminated => throw new OperationCanceledException($"Workflow run '{instanceId}' was terminated."),
            _ => throw new InvalidOperationException($"Workflow run '{instanceId}' ended as {metadata.RuntimeStatus}."),
        };
    }
}
