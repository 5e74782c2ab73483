using System.ComponentModel;
using Microsoft.DurableTask;

namespace Flows.DurableTask.Internal;

/// <summary>
/// Turns what ended an orchestration into the failure the backend records, so that the failing step's name, the
/// original type and message reach the client (<see cref="DurableWorkflowException"/>). Not meant to be called by user
/// code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DurableFailure
{
    /// <summary>
    /// The exception to fail the run with, for <paramref name="failure"/>: a <see cref="DurableStepException"/> as it is;
    /// a step's <see cref="StepTimeoutException"/>, a step's raw <see cref="TaskFailedException"/> and a policy's
    /// <see cref="AggregateException"/> (wait-all, minimum success count or rate, no first success) as a
    /// <see cref="DurableStepException"/> naming the (first) failing step; anything else as it is.
    /// </summary>
    /// <remarks>Generated orchestrators end with <c>catch (Exception e) { throw DurableFailure.ForRun(e); }</c>.</remarks>
    public static Exception ForRun(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        switch (failure)
        {
            case DurableStepException:
                return failure;
            case StepTimeoutException timeout when timeout.StepName.Length > 0:
                return new DurableStepException(timeout.StepName, typeof(StepTimeoutException).FullName!, timeout.Message, null, timeout);
            case TaskFailedException taskFailure:
                return DurableStepException.FromActivityFailure(taskFailure);
            case AggregateException aggregate when FirstStepOrNull(aggregate) is { } step:
                return new DurableStepException(step, typeof(AggregateException).FullName!, aggregate.Message, null, aggregate);
            default:
                return failure;
        }
    }

    // The step of the first step failure in the aggregate, depth first.
    private static string? FirstStepOrNull(AggregateException aggregate)
    {
        foreach (var inner in aggregate.InnerExceptions)
        {
            var step = inner switch
            {
                DurableStepException stepFailure => stepFailure.StepName,
                StepTimeoutException { StepName.Length: > 0 } timeout => timeout.StepName,
                TaskFailedException taskFailure => DurableStepException.FromActivityFailure(taskFailure).StepName,
                AggregateException nested => FirstStepOrNull(nested),
                _ => null,
            };
            if (step is not null)
            {
                return step;
            }
        }

        return null;
    }
}
