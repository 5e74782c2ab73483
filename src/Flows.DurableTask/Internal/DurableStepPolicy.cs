using System.ComponentModel;
using Flows.Internal;

namespace Flows.DurableTask.Internal;

/// <summary>
/// The <see cref="RetryAttribute"/> and <see cref="TimeoutAttribute"/> options of one step of a durable workflow.
/// Generated orchestrators keep one instance per step in a static field. Not meant to be used by user code.
/// </summary>
/// <remarks>
/// Attempts, delay and backoff are the in-process runtime's (<see cref="StepPolicy"/> computes them); only the jitter
/// differs: it is drawn from <see cref="DeterministicJitter"/> instead of <see cref="Random"/>, so that a replay asks for
/// the timer the history holds.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DurableStepPolicy
{
    // Attempts, delays and backoff exactly as in-process, without jitter (which StepPolicy draws at random).
    private readonly StepPolicy _delays;

    /// <summary>Creates the options; see <see cref="RetryAttribute"/> and <see cref="TimeoutAttribute"/>.</summary>
    /// <param name="step">The step's name.</param>
    /// <param name="maxAttempts">Attempts in all, at least 1.</param>
    /// <param name="delayMilliseconds">The delay before the second attempt.</param>
    /// <param name="backoff">How later delays grow.</param>
    /// <param name="jitter">Scale each delay by a factor from 0.5 to 1, computed from the instance, step, item and attempt.</param>
    /// <param name="retryOn">The exception types retried (and types derived from them); null for every one but a cancellation.</param>
    /// <param name="timeoutMilliseconds">The limit on each attempt, a durable timer; 0 for none.</param>
    public DurableStepPolicy(
        string step,
        int maxAttempts = 1,
        int delayMilliseconds = 0,
        Backoff backoff = Backoff.Constant,
        bool jitter = false,
        Type[]? retryOn = null,
        int timeoutMilliseconds = 0)
    {
        ArgumentNullException.ThrowIfNull(step);
        _delays = new StepPolicy(string.Empty, step, maxAttempts, delayMilliseconds, backoff, jitter: false, timeoutMilliseconds: timeoutMilliseconds);
        Jitter = jitter;
        RetryOn = retryOn;
    }

    /// <summary>The step's name.</summary>
    public string Step => _delays.Step;

    /// <summary>Attempts in all.</summary>
    public int MaxAttempts => _delays.MaxAttempts;

    /// <summary>The delay before the second attempt.</summary>
    public TimeSpan Delay => _delays.Delay;

    /// <summary>How later delays grow.</summary>
    public Backoff Backoff => _delays.Backoff;

    /// <summary>Whether delays are jittered (deterministically).</summary>
    public bool Jitter { get; }

    /// <summary>The exception types retried; null for every one but a cancellation.</summary>
    public Type[]? RetryOn { get; }

    /// <summary>The limit on each attempt; zero for none.</summary>
    public TimeSpan Timeout => _delays.Timeout;

    /// <summary>
    /// The delay after failed attempt <paramref name="attempt"/> (from 1) of the step, or of its item
    /// <paramref name="index"/>, in orchestration instance <paramref name="instanceId"/>. A function of its arguments.
    /// </summary>
    public TimeSpan DelayAfter(int attempt, string instanceId, int index = -1)
    {
        var delay = _delays.DelayAfter(attempt);
        return Jitter
            ? TimeSpan.FromMilliseconds(delay.TotalMilliseconds * DeterministicJitter.Factor(instanceId, Step, index, attempt))
            : delay;
    }

    /// <summary>
    /// Whether a failure of attempt <paramref name="attempt"/> is tried again: attempts are left, and the failure is of a
    /// type in <see cref="RetryOn"/>, or, without a list, is not a cancellation. A timed-out attempt
    /// (<see cref="StepTimeoutException"/>, a <see cref="TimeoutException"/>) is retried, as in-process.
    /// </summary>
    public bool ShouldRetry(Exception failure, int attempt)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (attempt >= MaxAttempts)
        {
            return false;
        }

        if (RetryOn is null)
        {
            return !IsCausedBy(failure, typeof(OperationCanceledException));
        }

        foreach (var type in RetryOn)
        {
            if (IsCausedBy(failure, type))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCausedBy(Exception failure, Type type) =>
        failure is DurableStepException step ? step.IsCausedBy(type) : type.IsInstanceOfType(failure);
}
