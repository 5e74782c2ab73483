using System.ComponentModel;
using Microsoft.DurableTask;

namespace Flows.DurableTask.Internal;

/// <summary>
/// The whole-run limit (<c>[Workflow(TimeoutMilliseconds)]</c>) and a group's limit (<c>[Parallel(TimeoutMilliseconds)]</c>)
/// as durable timers raced with the work. Activities cannot be cancelled: on expiry the orchestration stops waiting and
/// fails with the in-process <see cref="TimeoutException"/>, and the backend ends the instance once the activities it
/// started have stopped. Orchestrator code, replay-safe. Not meant to be called by user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DurableDeadline
{
    /// <summary>
    /// Called before a stage of a workflow with a time limit schedules its activities: once the limit has expired (and
    /// the run has failed), nothing more of the run is scheduled.
    /// </summary>
    /// <exception cref="OperationCanceledException">The run's time limit has expired.</exception>
    public static void ThrowIfEnded(TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        DurableRunEnd.ThrowIfEnded(context);
    }

    /// <summary>
    /// The run's result, or a <see cref="TimeoutException"/> ("Workflow 'X' timed out after n ms.") on expiry. On expiry the
    /// run ends: the stages, items and retries still to come are not scheduled (<see cref="DurableRunEnd"/>).
    /// </summary>
    public static Task<T> WorkflowAsync<T>(TaskOrchestrationContext context, string workflow, int timeoutMilliseconds, Task<T> run) =>
        WithinAsync(context, timeoutMilliseconds, run, () => $"Workflow '{workflow}' timed out after {timeoutMilliseconds} ms.", endsRun: true);

    /// <summary>The group's value (or completion), or a <see cref="TimeoutException"/> ("Group 'g' timed out after n ms.") on expiry.</summary>
    public static Task<T> GroupAsync<T>(TaskOrchestrationContext context, string group, int timeoutMilliseconds, Task<T> members) =>
        WithinAsync(context, timeoutMilliseconds, members, () => $"Group '{group}' timed out after {timeoutMilliseconds} ms.", endsRun: false);

    /// <summary>A group without a value: completes with the group, or fails with a <see cref="TimeoutException"/> on expiry.</summary>
    public static Task GroupAsync(TaskOrchestrationContext context, string group, int timeoutMilliseconds, Task members) =>
        WithinAsync(context, timeoutMilliseconds, AsValue(members), () => $"Group '{group}' timed out after {timeoutMilliseconds} ms.", endsRun: false);

    private static async Task<bool> AsValue(Task work)
    {
        await work;
        return true;
    }

    // A group's expiry needs no mark: the stage that awaits the group fails at once, so nothing after it is scheduled.
    private static async Task<T> WithinAsync<T>(TaskOrchestrationContext context, int timeoutMilliseconds, Task<T> work, Func<string> message, bool endsRun)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        if (timeoutMilliseconds <= 0)
        {
            return await work;
        }

        using var timerCancellation = new CancellationTokenSource();
        var timer = context.CreateTimer(context.CurrentUtcDateTime.AddMilliseconds(timeoutMilliseconds), timerCancellation.Token);
        var first = await Task.WhenAny(work, timer);
        if (first == work)
        {
            // The work won: cancel the timer so that it does not hold the instance open.
            timerCancellation.Cancel();
            TaskObservation.ObserveLater(timer);
            return await work;
        }

        if (endsRun)
        {
            DurableRunEnd.End(context);
        }

        TaskObservation.ObserveLater(work);
        throw new TimeoutException(message());
    }
}
