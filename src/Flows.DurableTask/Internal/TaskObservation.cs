using Microsoft.DurableTask;

namespace Flows.DurableTask.Internal;

/// <summary>Marks the failure of a task nobody will await as observed, so that it never surfaces as unobserved.</summary>
internal static class TaskObservation
{
    private static readonly Action<Task> s_observe = static task => _ = task.Exception;

    /// <summary>
    /// Reads the task's exception when it completes. The continuation runs synchronously where the task completes and
    /// touches nothing else, so in an orchestration it schedules nothing and changes no state.
    /// </summary>
    public static void ObserveLater(Task task)
    {
        if (task.IsCompleted)
        {
            _ = task.Exception;
            return;
        }

        _ = task.ContinueWith(
            s_observe,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>The failure of a completed task that did not succeed: its exception (a failed activity's as a <see cref="DurableStepException"/>), or a cancellation.</summary>
    public static Exception FailureOf(Task task)
    {
        if (task.IsFaulted)
        {
            var inner = task.Exception!.InnerExceptions;

            // An activity called directly: its failure names the step, as one called through a step helper does.
            return inner.Count != 1 ? task.Exception : inner[0] is TaskFailedException activity ? DurableStepException.FromActivityFailure(activity) : inner[0];
        }

        return new TaskCanceledException(task);
    }
}
