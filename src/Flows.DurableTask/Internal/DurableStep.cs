using System.ComponentModel;
using Microsoft.DurableTask;

namespace Flows.DurableTask.Internal;

/// <summary>
/// How a generated orchestrator calls one step's activity, and how the activity gets what it needs from the worker.
/// Orchestrator code (replay-safe) but <see cref="Service{T}"/>, which runs in activities. Not meant to be called by user
/// code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DurableStep
{
    /// <summary>Calls a step's activity once; its failure ends as a <see cref="DurableStepException"/> naming the step.</summary>
    /// <param name="context">The orchestration's context.</param>
    /// <param name="step">The step's name, for the failure.</param>
    /// <param name="activity">The activity's name on the task hub.</param>
    /// <param name="input">The activity's input.</param>
    public static async Task<TResult> CallAsync<TResult>(TaskOrchestrationContext context, string step, string activity, object? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        DurableRunEnd.ThrowIfEnded(context);
        try
        {
            return await context.CallActivityAsync<TResult>(activity, input);
        }
        catch (TaskFailedException exception)
        {
            throw DurableStepException.FromTaskFailure(step, exception);
        }
    }

    /// <summary>A step that continues on error: its failure becomes a failed outcome instead of failing the caller.</summary>
    public static async Task<Outcome<T>> CatchAsync<T>(Task<T> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        try
        {
            return Outcome<T>.Success(await step);
        }
        catch (TaskFailedException exception)
        {
            return Outcome<T>.Failure(DurableStepException.FromActivityFailure(exception));
        }
        catch (Exception exception)
        {
            return Outcome<T>.Failure(exception);
        }
    }

    /// <summary>A service the workflow's constructor takes, from the worker's services (activity code).</summary>
    /// <param name="services">The worker's services.</param>
    /// <param name="workflow">The workflow's name, for the message.</param>
    /// <exception cref="InvalidOperationException">The worker has no such service.</exception>
    public static T Service<T>(IServiceProvider services, string workflow)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetService(typeof(T)) is T service
            ? service
            : throw new InvalidOperationException(
                $"Workflow '{workflow}' needs a service of type '{typeof(T)}' to run its steps durably, and the worker has none: register it in the worker's services.");
    }
}
