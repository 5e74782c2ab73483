namespace Flows;

/// <summary>
/// Limits each attempt of a step (each attempt of each item of a foreach step) to <see cref="Milliseconds"/>. On
/// expiry the step's token is cancelled; Flows still waits for the attempt to stop (no attempt is left running), and
/// then the attempt fails with a <see cref="StepTimeoutException"/> whatever it ended with: a cancellation, its own
/// exception (the <see cref="Exception.InnerException"/>), or a value returned after the limit by a step that ignored
/// its token.
/// </summary>
/// <remarks>
/// <para>Whether an attempt was late is read from the clock when it ends, not from whether the timer has fired yet, so
/// a result that arrives after the limit is never a success, however busy the machine.</para>
/// <para>With <see cref="RetryAttribute"/> a timed-out attempt is retried (a <see cref="StepTimeoutException"/> is a
/// <see cref="TimeoutException"/>, not a cancellation); with <see cref="StepAttribute.ContinueOnError"/> or a
/// continue-on-error foreach it becomes a failed <see cref="Outcome{T}"/>. When the step's token was cancelled for
/// another reason as well (the caller, its group, the run's timeout), that reason decides how the run ends: the
/// caller's cancellation as an <see cref="OperationCanceledException"/>, the run's timeout as the workflow's
/// <see cref="TimeoutException"/>.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TimeoutAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="milliseconds">The longest one attempt may take.</param>
    public TimeoutAttribute(int milliseconds) => Milliseconds = milliseconds;

    /// <summary>The longest one attempt may take, in milliseconds.</summary>
    public int Milliseconds { get; }
}
