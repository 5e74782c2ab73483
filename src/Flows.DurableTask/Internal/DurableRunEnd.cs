using System.Runtime.CompilerServices;
using Microsoft.DurableTask;

namespace Flows.DurableTask.Internal;

/// <summary>
/// Whether an orchestration's run has ended while parts of its code are still waiting: a workflow deadline
/// (<see cref="DurableDeadline.WorkflowAsync{T}"/>) fails the run at its expiry, but the stage it was waiting for goes on
/// in the orchestrator, and Durable Task ends the instance only when none of its tasks is outstanding. Without this mark
/// the rest of the run would go on scheduling its later stages, items and retries, and only then fail. Once the run has
/// ended, the step helpers schedule nothing: a step call fails with an <see cref="OperationCanceledException"/>, as a
/// step that has not started when an in-process run is cancelled.
/// </summary>
/// <remarks>
/// Orchestrator code. The mark belongs to one orchestration context, that is one execution of the orchestrator (a replay
/// builds a new context and sets the mark again at the same point of the history), so the decisions are replay-safe.
/// </remarks>
internal static class DurableRunEnd
{
    private static readonly object s_ended = new();
    private static readonly ConditionalWeakTable<TaskOrchestrationContext, object> s_contexts = new();

    /// <summary>Marks the run of <paramref name="context"/> as ended: nothing more of it is scheduled.</summary>
    public static void End(TaskOrchestrationContext context) => s_contexts.AddOrUpdate(context, s_ended);

    /// <summary>Whether the run of <paramref name="context"/> has ended.</summary>
    public static bool HasEnded(TaskOrchestrationContext context) => s_contexts.TryGetValue(context, out _);

    /// <summary>Called before scheduling an activity or a timer of the run.</summary>
    /// <exception cref="OperationCanceledException">The run has ended.</exception>
    public static void ThrowIfEnded(TaskOrchestrationContext context)
    {
        if (HasEnded(context))
        {
            throw new OperationCanceledException("Not started: the workflow run has ended (its time limit expired).");
        }
    }
}
