namespace Flows;

/// <summary>
/// Thrown when an attempt of a step with a <see cref="TimeoutAttribute"/> runs longer than its limit.
/// </summary>
public class StepTimeoutException : TimeoutException
{
    /// <summary>Creates the exception with a default message.</summary>
    public StepTimeoutException()
        : this("A workflow step timed out.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public StepTimeoutException(string message)
        : base(message)
    {
        StepName = string.Empty;
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public StepTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
        StepName = string.Empty;
    }

    /// <summary>Creates the exception for the step <paramref name="stepName"/> that ran past <paramref name="timeout"/>.</summary>
    public StepTimeoutException(string stepName, TimeSpan timeout, Exception? innerException = null)
        : base($"Step '{stepName}' timed out after {timeout.TotalMilliseconds:0} ms.", innerException)
    {
        StepName = stepName;
        Timeout = timeout;
    }

    /// <summary>The name of the step that timed out.</summary>
    public string StepName { get; }

    /// <summary>The limit the step ran past.</summary>
    public TimeSpan Timeout { get; }
}
