using Microsoft.DurableTask;

namespace Flows.DurableTask;

/// <summary>
/// A durable workflow run failed. Thrown to the client that waits for the run's result; carries the failing step's name
/// and the original exception's type name and message, as the backend recorded them.
/// </summary>
/// <remarks>
/// When several steps failed (a wait-all group, a continue-on-error foreach below its minimum success rate),
/// <see cref="StepName"/> names the first of them, <see cref="ErrorType"/> is <see cref="AggregateException"/>'s, and the
/// message lists every failure.
/// </remarks>
public sealed class DurableWorkflowException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="instanceId">The orchestration instance that failed.</param>
    /// <param name="stepName">The step that failed, or null when the failure did not come from a step.</param>
    /// <param name="errorType">The full name of the original exception's type.</param>
    /// <param name="errorMessage">The original exception's message.</param>
    /// <param name="failureDetails">The failure as the backend recorded it, when there is one.</param>
    public DurableWorkflowException(string instanceId, string? stepName, string errorType, string errorMessage, TaskFailureDetails? failureDetails = null)
        : base(stepName is null
            ? $"Workflow run '{instanceId}' failed: {errorType}: {errorMessage}"
            : $"Workflow run '{instanceId}' failed in step '{stepName}': {errorType}: {errorMessage}")
    {
        InstanceId = instanceId;
        StepName = stepName;
        ErrorType = errorType;
        ErrorMessage = errorMessage;
        FailureDetails = failureDetails;
    }

    /// <summary>The orchestration instance that failed.</summary>
    public string InstanceId { get; }

    /// <summary>The step that failed, or null when the failure did not come from a step.</summary>
    public string? StepName { get; }

    /// <summary>The full name of the original exception's type, for example <c>System.InvalidOperationException</c>.</summary>
    public string ErrorType { get; }

    /// <summary>The original exception's message.</summary>
    public string ErrorMessage { get; }

    /// <summary>The failure as the backend recorded it (stack traces, inner failures), when there is one.</summary>
    public TaskFailureDetails? FailureDetails { get; }

    /// <summary>The exception for a run whose recorded failure is <paramref name="failureDetails"/>.</summary>
    /// <param name="instanceId">The orchestration instance that failed.</param>
    /// <param name="failureDetails">The failure the backend recorded, or null when it recorded none.</param>
    public static DurableWorkflowException FromFailureDetails(string instanceId, TaskFailureDetails? failureDetails)
    {
        if (failureDetails is null)
        {
            return new DurableWorkflowException(instanceId, null, "(unknown)", "The backend recorded no failure details.");
        }

        if (DurableStepException.TryParse(failureDetails, out var step, out var type, out var message))
        {
            return new DurableWorkflowException(instanceId, step, type, message, failureDetails);
        }

        // An activity's failure that ended the orchestration as it was: the activity's own type and message.
        var original = failureDetails.ErrorType == typeof(TaskFailedException).FullName && failureDetails.InnerFailure is { } inner
            ? inner
            : failureDetails;
        return new DurableWorkflowException(instanceId, null, original.ErrorType, original.ErrorMessage, failureDetails);
    }
}
