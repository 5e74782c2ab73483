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

    /// <summary>The failure of a completed task that did not succeed: its exception, or a cancellation.</summary>
    public static Exception FailureOf(Task task)
    {
        if (task.IsFaulted)
        {
            var inner = task.Exception!.InnerExceptions;
            return inner.Count == 1 ? inner[0] : task.Exception;
        }

        return new TaskCanceledException(task);
    }
}
