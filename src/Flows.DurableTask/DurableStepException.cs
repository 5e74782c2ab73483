using System.Reflection;
using Microsoft.DurableTask;

namespace Flows.DurableTask;

/// <summary>
/// A step of a durable workflow failed: its activity threw on every attempt it was given. The original exception lived
/// in the worker that ran the activity; what reaches the orchestration is its type name and message, kept here with the
/// step's name.
/// </summary>
/// <remarks>
/// In a durable run this is the exception a failed step gives: an <see cref="Outcome{T}"/> of a continue-on-error step
/// holds it, a fail-fast group or foreach rethrows it, and the backend records it as the run's failure. Its message has a
/// fixed form, <c>Step '&lt;step&gt;' failed: &lt;type&gt;: &lt;message&gt;</c>, which is how the step's name travels with a
/// recorded failure to <see cref="DurableWorkflowException"/>.
/// </remarks>
public sealed class DurableStepException : Exception
{
    private const string Prefix = "Step '";
    private const string Separator = "' failed: ";

    /// <summary>Creates the exception for <paramref name="stepName"/>, which failed with an exception of <paramref name="errorType"/>.</summary>
    /// <param name="stepName">The step's name.</param>
    /// <param name="errorType">The full name of the original exception's type.</param>
    /// <param name="errorMessage">The original exception's message.</param>
    /// <param name="failureDetails">The failure as Durable Task recorded it, when there is one.</param>
    /// <param name="innerException">The exception the orchestration saw, when there is one.</param>
    public DurableStepException(string stepName, string errorType, string errorMessage, TaskFailureDetails? failureDetails = null, Exception? innerException = null)
        : base(Format(stepName, errorType, errorMessage), innerException)
    {
        ArgumentNullException.ThrowIfNull(stepName);
        ArgumentNullException.ThrowIfNull(errorType);
        ArgumentNullException.ThrowIfNull(errorMessage);
        StepName = stepName;
        ErrorType = errorType;
        ErrorMessage = errorMessage;
        FailureDetails = failureDetails;
    }

    /// <summary>The name of the step that failed.</summary>
    public string StepName { get; }

    /// <summary>The full name of the original exception's type, for example <c>System.InvalidOperationException</c>.</summary>
    public string ErrorType { get; }

    /// <summary>The original exception's message.</summary>
    public string ErrorMessage { get; }

    /// <summary>The failure as Durable Task recorded it (with the activity's stack trace and inner failures), when known.</summary>
    public TaskFailureDetails? FailureDetails { get; }

    /// <summary>Whether the original exception was of type <typeparamref name="T"/> or a type derived from it.</summary>
    public bool IsCausedBy<T>()
        where T : Exception => IsCausedBy(typeof(T));

    /// <summary>Whether the original exception was of <paramref name="exceptionType"/> or a type derived from it.</summary>
    /// <remarks>
    /// The type name is compared first; a derived type is recognized only where its type can be loaded in this process
    /// (<see cref="TaskFailureDetails.IsCausedBy(Type)"/>).
    /// </remarks>
    public bool IsCausedBy(Type exceptionType)
    {
        ArgumentNullException.ThrowIfNull(exceptionType);
        if (string.Equals(ErrorType, exceptionType.FullName, StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            return FailureDetails?.IsCausedBy(exceptionType) ?? false;
        }
        catch (AmbiguousMatchException)
        {
            // Several loaded assemblies define a type of that name: the failure cannot be matched to one of them.
            return false;
        }
    }

    /// <summary>
    /// The step's failure from a generated activity's <see cref="TaskFailedException"/>: generated activities are named
    /// <c>&lt;orchestration&gt;.&lt;step&gt;</c>, so the step is the name's last part.
    /// </summary>
    internal static DurableStepException FromActivityFailure(TaskFailedException failure)
    {
        var name = failure.TaskName ?? string.Empty;
        return FromTaskFailure(name.Substring(name.LastIndexOf('.') + 1), failure);
    }

    /// <summary>The step's failure from the <see cref="TaskFailedException"/> its activity (or sub-orchestration) ended with.</summary>
    internal static DurableStepException FromTaskFailure(string stepName, TaskFailedException failure)
    {
        var details = failure.FailureDetails;

        // A sub-orchestration that failed in one of its steps: keep that step's name, type and message.
        if (TryParse(details, out var innerStep, out var innerType, out var innerMessage))
        {
            return new DurableStepException(innerStep, innerType, innerMessage, details, failure);
        }

        return new DurableStepException(stepName, details.ErrorType, details.ErrorMessage, details, failure);
    }

    /// <summary>
    /// Reads a step's name, the original type and message back from a recorded failure of this type, whose message has the
    /// form <see cref="Format"/> writes.
    /// </summary>
    internal static bool TryParse(TaskFailureDetails? details, out string stepName, out string errorType, out string errorMessage)
    {
        stepName = errorType = errorMessage = string.Empty;
        if (details is null || !string.Equals(details.ErrorType, typeof(DurableStepException).FullName, StringComparison.Ordinal))
        {
            return false;
        }

        var message = details.ErrorMessage;
        var separator = message.IndexOf(Separator, StringComparison.Ordinal);
        if (!message.StartsWith(Prefix, StringComparison.Ordinal) || separator < Prefix.Length)
        {
            return false;
        }

        var rest = message.AsSpan(separator + Separator.Length);
        var colon = rest.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        stepName = message[Prefix.Length..separator];
        errorType = rest[..colon].ToString();
        errorMessage = rest[(colon + 2)..].ToString();
        return true;
    }

    // Step names are C# identifiers and type names hold no ": ", so the form reads back unambiguously.
    private static string Format(string stepName, string errorType, string errorMessage) =>
        $"{Prefix}{stepName}{Separator}{errorType}: {errorMessage}";
}
