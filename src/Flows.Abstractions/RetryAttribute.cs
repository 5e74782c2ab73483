namespace Flows;

/// <summary>
/// Retries a failing step (per item for a foreach step) up to <see cref="MaxAttempts"/> attempts in all.
/// </summary>
/// <remarks>
/// A cancellation caused by the run's own token is never retried. <see cref="StepContext.Attempt"/>
/// tells a step which attempt it is running.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RetryAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="maxAttempts">How many attempts in all, the first one included.</param>
    public RetryAttribute(int maxAttempts) => MaxAttempts = maxAttempts;

    /// <summary>How many attempts in all, the first one included.</summary>
    public int MaxAttempts { get; }

    /// <summary>The delay before the second attempt, in milliseconds; <see cref="Backoff"/> says how later delays grow.</summary>
    public int DelayMilliseconds { get; set; }

    /// <summary>How the delay grows from one attempt to the next. <see cref="Flows.Backoff.Constant"/> by default.</summary>
    public Backoff Backoff { get; set; } = Backoff.Constant;

    /// <summary>When <see langword="true"/>, each delay is randomized so that retries of many callers spread out.</summary>
    public bool Jitter { get; set; }

    /// <summary>
    /// The exception types (and types derived from them) that are retried. By default every exception is,
    /// except a cancellation.
    /// </summary>
    public Type[]? RetryOn { get; set; }
}
